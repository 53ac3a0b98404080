"""Municipal confirmation: nothing goes to the government while the window is open or a
comment or objection is unanswered; the government confirms in part or returns with reasons;
a returned result is regraded and goes through publicity again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Application, Status
from portal.refusals import Refused
from ratings.models import GradeChange, SubmissionItem
from ratings.selectors import pending_comment_count
from ratings.services import confirmation, publicity
from tests.access.ratings import close_window, open_item, stage
from tests.objection_support import clerk

pytestmark = pytest.mark.django_db


def status_of(application) -> str:
    return Application.objects.get(pk=application.pk).status


def submit(client, item):
    return client.post(
        reverse("ratings:batch_submit", args=[item.batch_id]),
        {"items": [item.pk], "note": "请确认"},
        follow=True,
    )


def test_submission_refused_while_the_window_is_open(client_as, world):
    s = stage(world)
    response = submit(client_as("bureau"), s.item)
    assert "公示期尚未结束" in response.content.decode()
    assert status_of(s.item.application) == Status.IN_PUBLICITY


def test_submission_refused_with_an_unanswered_comment_or_objection(client_as, world):
    s = stage(world)
    bureau = world.users["bureau"]
    close_window(s.item)
    client = client_as("bureau")
    page = submit(client, s.item).content.decode()
    assert "1 条意见未答复" in page and "1 项异议未答复" in page
    assert status_of(s.item.application) == Status.IN_PUBLICITY
    assert pending_comment_count() == 2

    publicity.answer(comment=s.comment, decision="not_upheld", text="不属实。", actor=bureau)
    page = submit(client, s.item).content.decode()
    assert "1 项异议未答复" in page and "意见未答复" not in page
    assert status_of(s.item.application) == Status.IN_PUBLICITY

    # The objection is decided by an officer who took no part (the bureau persona graded it).
    publicity.answer(comment=s.objection, decision="upheld", text="属实，调整。", actor=clerk())
    assert pending_comment_count() == 0
    submit(client, s.item)
    assert status_of(s.item.application) == Status.SUBMITTED_TO_GOVERNMENT


def test_bureau_changes_a_grade_answering_an_objection(client_as, world):
    s = stage(world)
    client = client_as("bureau")
    response = client.post(
        reverse("ratings:item_grade", args=[s.item.pk]),
        {
            "new_score": "95.0",
            "has_veto": "",
            "reason": "复核培训台账，加5分。",
            "comment": s.objection.pk,
        },
        follow=True,
    )
    assert "等级已调整为五星级" in response.content.decode()
    change = GradeChange.objects.get(application=s.item.application)
    assert (change.old_score, change.new_score) == (Decimal("90.0"), Decimal("95.0"))
    assert change.comment == s.objection and change.new_star == 5
    s.item.refresh_from_db()
    assert s.item.proposed_star == 5  # the public list shows the changed grade
    with pytest.raises(ValueError):
        change.save()  # append-only


def test_a_second_click_on_the_same_grade_change_records_nothing_more(client_as, world):
    s = stage(world)
    change = {"new_score": "95.0", "has_veto": "", "reason": "复核培训台账，加5分。"}
    url = reverse("ratings:item_grade", args=[s.item.pk])
    client_as("bureau").post(url, change)
    again = client_as("bureau").post(url, change, follow=True).content.decode()
    assert "都没有改变，无需调整" in again
    assert GradeChange.objects.filter(application=s.item.application).count() == 1


def test_a_grade_change_needs_a_reason(world):
    s = stage(world)
    with pytest.raises(Refused):
        publicity.change_grade(
            application=s.item.application,
            new_score=Decimal("80"),
            has_veto=False,
            reason=" ",
            actor=world.users["bureau"],
        )


def test_government_confirms_in_part_and_returns_the_rest_with_a_reason(client_as, world):
    s = stage(world)
    bureau, expert = world.users["bureau"], world.users["expert"]
    from tests.factories import UnitFactory

    extra = open_item(s.cycle, UnitFactory(), bureau, expert, Decimal("77.0"))
    close_window(extra)
    submission = confirmation.submit_to_government(
        batch=extra.batch, items=[extra], note="", actor=bureau
    )
    first = s.submission.items.get()
    client = client_as("government")
    detail = client.get(reverse("ratings:submission_detail", args=[s.submission.pk]), {"star": "4"})
    assert world.other_unit.name in detail.content.decode()
    filtered = client.get(
        reverse("ratings:submission_detail", args=[s.submission.pk]), {"star": "5"}
    )
    assert world.other_unit.name not in filtered.content.decode()

    decide = reverse("ratings:submission_decide", args=[s.submission.pk])
    refused = client.post(
        decide, {"action": "return", "reason": "", "items": [first.pk]}, follow=True
    )
    assert "退回必须说明理由" in refused.content.decode()
    client.post(decide, {"action": "confirm", "reason": "", "items": [first.pk]})
    assert status_of(s.submitted_application) == Status.CONFIRMED

    returned = submission.items.get()
    client.post(
        reverse("ratings:submission_decide", args=[submission.pk]),
        {"action": "return", "reason": "该单位近期有举报，请复核。", "items": [returned.pk]},
    )
    returned.refresh_from_db()
    assert returned.decision == SubmissionItem.Decision.RETURNED
    assert status_of(extra.application) == Status.GOVERNMENT_RETURNED
    again = client.post(
        decide, {"action": "confirm", "reason": "", "items": [first.pk]}, follow=True
    )
    assert "已处理" in again.content.decode()

    # The bureau regrades with a reason; the result must go through a new publicity batch.
    bureau_client = client_as("bureau")
    page = bureau_client.get(reverse("ratings:regrade", args=[extra.application.pk]))
    assert "该单位近期有举报" in page.content.decode()
    bureau_client.post(
        reverse("ratings:regrade", args=[extra.application.pk]),
        {"new_score": "74.0", "reason": "复核扣分。", "expected_status": "government_returned"},
    )
    regraded = Application.objects.get(pk=extra.application.pk)
    assert regraded.status == Status.GRADED and regraded.star == 0
    assert GradeChange.objects.filter(application=regraded, new_score=Decimal("74.0")).exists()


def test_government_drills_down_to_item_scores(client_as, world):
    s = stage(world)
    page = client_as("government").get(
        reverse("ratings:application_review", args=[s.submitted_application.pk])
    )
    html = page.content.decode()
    assert "逐项评分" in html and "expert专家" in html
    hidden = client_as("government").get(
        reverse("ratings:application_review", args=[s.item.application.pk])
    )
    assert hidden.status_code == 404  # still in publicity: not the government's yet


def test_submission_list_query_count_is_constant(client_as, world, django_assert_max_num_queries):
    s = stage(world)
    client = client_as("government")
    with django_assert_max_num_queries(12):
        client.get(reverse("ratings:submission_detail", args=[s.submission.pk]))
    from tests.factories import UnitFactory

    for score in ("88.0", "91.0", "79.0"):
        item = open_item(
            s.cycle, UnitFactory(), world.users["bureau"], world.users["expert"], Decimal(score)
        )
        close_window(item)
        confirmation.submit_to_government(
            batch=item.batch, items=[item], note="", actor=world.users["bureau"]
        )
        SubmissionItem.objects.filter(application=item.application).update(submission=s.submission)
    with django_assert_max_num_queries(12):
        client.get(reverse("ratings:submission_detail", args=[s.submission.pk]))
