"""The grade review: the bureau reviews reports in a batch view, adjusts a score only with a
written reason, and sets the proposed grade (evaluated → graded)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Application, Status
from assessments.services.grading import grade
from assessments.stars import Star
from portal.refusals import Refused
from tests.evaluation_support import accepted_application, assign, evaluated_application, sign
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def review(client, application, **data):
    return client.post(
        reverse("evaluation:review", args=[application.pk]),
        {"expected_status": application.status, "reason": "", **data},
    )


def test_grading_without_adjustment_keeps_the_preliminary_score(world, client_as):
    application = evaluated_application(world, totals=("85.0", "84.9"))
    response = review(client_as("bureau"), application, adjustment="0")
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.GRADED
    assert application.comprehensive_score == Decimal("85.0")
    assert application.star == Star.FOUR
    assert application.graded_at is not None


def test_an_adjustment_without_a_written_reason_is_refused(world, client_as):
    application = evaluated_application(world, totals=("84.0",))
    response = review(client_as("bureau"), application, adjustment="1.0", reason="  ")
    assert response.status_code == 400
    assert "调整分数必须填写调整理由" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.EVALUATED
    with pytest.raises(Refused):
        grade(application=application, actor=world.users["bureau"], adjustment=Decimal("1.0"))


def test_an_adjustment_with_reason_recomputes_the_star_and_is_recorded(world, client_as):
    application = evaluated_application(world, totals=("84.0",))
    reason = "现场复核：应急演练记录齐全，4.4 项应得满分"
    response = review(client_as("bureau"), application, adjustment="1.0", reason=reason)
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.comprehensive_score == Decimal("85.0")
    assert application.star == Star.FOUR  # three stars at 84.0, four at 85.0
    assert application.score_adjustment == Decimal("1.0")
    assert application.adjustment_reason == reason
    record = application.transitions.last()
    assert record.name == "grade" and reason in record.reason and "+1.0" in record.reason
    assert record.reason_codes == ["score_adjusted"]
    page = client_as("bureau").get(reverse("evaluation:review", args=[application.pk]))
    assert reason in page.content.decode()


def test_the_comprehensive_score_stays_within_0_and_100(world, client_as):
    application = evaluated_application(world, totals=("99.5",))
    response = review(client_as("bureau"), application, adjustment="1.0", reason="加分")
    assert response.status_code == 400
    assert "应在 0 至 100 分之间" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.EVALUATED


def test_a_veto_keeps_no_star_after_any_adjustment(world):
    from assessments.models import VetoItem

    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    (assignment,) = assign(application, bureau, world.users["expert"])
    veto = VetoItem.objects.get(code="V5", standard__version="v1")
    sign(assignment, "99.0", vetoes={veto.pk: "重大隐患逾期未整改"})
    graded = grade(
        application=Application.objects.get(pk=application.pk),
        actor=bureau,
        adjustment=Decimal("1.0"),
        reason="复核",
    )
    assert graded.comprehensive_score == Decimal("100.0")
    assert graded.star == Star.NONE


def test_a_second_grading_from_a_stale_form_is_refused(world, client_as):
    application = evaluated_application(world, totals=("90.0",))
    client = client_as("bureau")
    assert review(client, application, adjustment="0").status_code == 302
    again = review(client, application, adjustment="2.0", reason="再次提交")  # stale "evaluated"
    assert again.status_code == 400
    assert "不能进行等级考评" in again.content.decode()
    application = Application.objects.get(pk=application.pk)
    assert application.comprehensive_score == Decimal("90.0")
    assert application.transitions.filter(name="grade").count() == 1
    with pytest.raises(Refused, match="本次操作未执行"):
        grade(
            application=application, actor=world.users["bureau"], expected_status=Status.EVALUATED
        )


def test_batch_grading_without_adjustment(world, client_as):
    first = evaluated_application(world, totals=("90.0",))
    client = client_as("bureau")
    response = client.post(reverse("evaluation:review_batch"), {"applications": [first.pk]})
    assert response.status_code == 302
    first = Application.objects.get(pk=first.pk)
    assert first.status == Status.GRADED and first.comprehensive_score == Decimal("90.0")
    # selecting it again (a second click) grades nothing twice
    client.post(reverse("evaluation:review_batch"), {"applications": [first.pk]})
    assert first.transitions.filter(name="grade").count() == 1


def test_non_bureau_cannot_grade(world, client_as):
    application = evaluated_application(world, totals=("90.0",))
    response = review(client_as("expert"), application, adjustment="0")
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == Status.EVALUATED


def build_evaluated(world, count: int, start: int = 0):
    bureau = world.users["bureau"]
    for n in range(count):
        unit = UnitFactory()
        application = accepted_application(unit, bureau, self_total=Decimal("99.0"))
        (assignment,) = assign(application, bureau, world.users["expert"])
        sign(assignment, "80.0" if n % 2 else "95.0")


def test_batch_view_filters_by_flag_and_lists_with_constant_queries(
    world, client_as, django_assert_max_num_queries
):
    client = client_as("bureau")
    url = reverse("evaluation:review_list")
    build_evaluated(world, 2)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    build_evaluated(world, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 8
    flagged = client.get(url, {"flag": "gap"})
    # self 99.0 against 80.0 is a gap of 19 points; against 95.0 it is 4
    assert len(flagged.context["page"]) == 4
    assert "自评与初评差距过大" in flagged.content.decode()
    area = world.unit.area
    by_area = client.get(url, {"area": area.pk})
    assert all(app.unit.area_id == area.pk for app in by_area.context["page"])


def test_bureau_dashboard_lists_awaiting_grade_and_flagged(world, client_as):
    evaluated_application(world, totals=("80.0",), self_total=Decimal("99.0"))
    page = client_as("bureau").get(reverse("portal:dashboard")).content.decode()
    assert "评估完成、待等级考评" in page and "自评差距过大或漏报否决项" in page
    assert world.unit.name in page
