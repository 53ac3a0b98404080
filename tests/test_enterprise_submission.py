"""Submitting the self-assessment: one click submits a complete form, an incomplete one is
refused with one readable sentence, and a broken request gives one error and nothing else."""

import pytest
from django.contrib.messages import constants
from django.urls import reverse
from django.utils import translation

from assessments.models import Application, Status
from assessments.services import self_assessment
from tests.assessment_support import complete_draft, open_cycle, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return open_cycle()


@pytest.fixture
def fresh(world, cycle):
    """A started draft with nothing typed yet."""
    sign(cycle, world.unit, world.users["enterprise"])
    return Application.objects.create(cycle=cycle, unit=world.unit)


def edit_url(application):
    return reverse("assessments:self_assessment", args=[application.pk])


def everything_typed(cycle):
    data = {"expected_status": "draft", "then": "submit"}
    for item in cycle.standard.items():
        data[f"item-{item.pk}-score"] = str(item.max_points - 1)
        data[f"item-{item.pk}-notes"] = "已落实"
    data["report-self_report"] = "本单位对照评分标准逐项自查，情况如下。"
    return data


def shown(response):
    return [(message.level, message.message) for message in response.context["messages"]]


def test_typing_everything_and_clicking_submit_once_submits(client_as, world, cycle, fresh):
    client = client_as("enterprise")
    response = client.post(edit_url(fresh), everything_typed(cycle), follow=True)
    fresh.refresh_from_db()
    assert fresh.status == Status.SUBMITTED
    messages = shown(response)
    assert not [text for level, text in messages if level == constants.ERROR], messages
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:application_detail", args=[fresh.pk]
    )


def test_incomplete_submit_names_the_first_items_and_the_total(client_as, world, cycle, fresh):
    items = list(cycle.standard.items())
    data = everything_typed(cycle)
    for item in items[6:]:
        data[f"item-{item.pk}-score"] = ""
    data["report-self_report"] = ""
    response = client_as("enterprise").post(edit_url(fresh), data, follow=True)
    missing = len(items) - 6
    codes = "、".join(item.code for item in items[6:11])
    assert (
        constants.ERROR,
        (
            f"自评尚未完成，还有{missing + 1}处未填写：第{codes}项等{missing}项的自评分，以及自查报告。"
        ),
    ) in shown(response)
    fresh.refresh_from_db()
    assert fresh.status == Status.DRAFT
    assert fresh.self_scores.filter(score__isnull=False).count() == 6  # the draft was kept


def test_missing_message_reads_naturally_in_both_languages(world, cycle, fresh):
    items = list(cycle.standard.items())
    fresh.self_scores.create(item=items[0], score=1)
    assert self_assessment.missing_message(fresh).startswith(
        f"自评尚未完成，还有{len(items)}处未填写：第{items[1].code}、{items[2].code}、"
    )
    with translation.override("en"):
        english = self_assessment.missing_message(fresh)
    assert english == (
        f"The self-assessment is not complete. Still missing ({len(items)} in all): "
        f"the self-score for {', '.join(item.code for item in items[1:6])} and others "
        f"({len(items) - 1} items), and the self-check report."
    )
    fresh.self_scores.all().delete()
    for item in items[1:]:
        fresh.self_scores.create(item=item, score=1)
    assert self_assessment.missing_message(fresh) == (
        f"自评尚未完成，还有2处未填写：第{items[0].code}项的自评分，以及自查报告。"
    )
    fresh.self_report = "已自查"
    fresh.save()
    assert self_assessment.missing_message(fresh) == (
        f"自评尚未完成，还有1处未填写：第{items[0].code}项的自评分。"
    )
    fresh.self_scores.create(item=items[0], score=1)
    assert self_assessment.missing_message(fresh) == ""
    assert Application.objects.get(pk=fresh.pk).is_self_assessment_complete()


def test_detail_page_offers_submit_only_when_complete(client_as, world, cycle, fresh):
    client = client_as("enterprise")
    detail = reverse("assessments:application_detail", args=[fresh.pk])
    page = client.get(detail).content.decode()
    assert reverse("assessments:submit", args=[fresh.pk]) not in page
    assert "提交前还需完成" in page
    complete_draft(cycle, world.unit, world.users["enterprise"])
    page = client.get(detail).content.decode()
    assert reverse("assessments:submit", args=[fresh.pk]) in page


BROKEN_FORMS = [{}, {"expected_status": "\x00"}, {"expected_status": "草稿/../"}]


@pytest.mark.parametrize("data", BROKEN_FORMS)
def test_broken_submit_shows_one_error_and_no_success(client_as, world, cycle, data):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    response = client_as("enterprise").post(
        reverse("assessments:submit", args=[application.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert shown(response) == [(constants.ERROR, "请求无效，请刷新页面后重试。")]
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


@pytest.mark.parametrize("data", BROKEN_FORMS)
def test_broken_withdraw_shows_one_error_and_no_success(client_as, world, cycle, data):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    self_assessment.submit(
        application=application, actor=world.users["enterprise"], expected_status=Status.DRAFT
    )
    response = client_as("enterprise").post(
        reverse("assessments:withdraw", args=[application.pk]), data, follow=True
    )
    assert shown(response) == [(constants.ERROR, "请求无效，请刷新页面后重试。")]
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_broken_save_and_submit_keeps_the_draft_and_says_so_once(client_as, world, cycle, fresh):
    data = everything_typed(cycle)
    del data["expected_status"]
    response = client_as("enterprise").post(edit_url(fresh), data, follow=True)
    assert [level for level, _text in shown(response)] == [constants.ERROR, constants.SUCCESS]
    fresh.refresh_from_db()
    assert fresh.status == Status.DRAFT
    assert fresh.self_report  # saved, not submitted
