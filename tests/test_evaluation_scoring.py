"""An expert scores every item, saves drafts, signs off; the last signature completes the
evaluation with the mean of the experts' totals, the veto verdict, the star and the flags."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Application, Assignment, ExpertScore, Status, VetoItem
from assessments.stars import Star
from portal.refusals import Refused
from tests.evaluation_support import (
    accepted_application,
    assign,
    entries_totalling,
    evaluated_application,
    expert_for,
    sign,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(world):
    """An application under evaluation, ``expert`` assigned and declared free of conflict."""
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    (assignment,) = assign(application, bureau, world.users["expert"])
    from assessments.services.evaluation import declare_no_conflict

    declare_no_conflict(assignment)
    return assignment


def form_data(assignment, total="90.0", **overrides):
    standard = assignment.application.cycle.standard
    data = {"action": "draft", "overall_opinion": "总体良好。"}
    for pk, entry in entries_totalling(standard, Decimal(total)).items():
        data[f"score_{pk}"] = str(entry.score)
        data[f"finding_{pk}"] = ""
    data.update(overrides)
    return data


def first_item(assignment):
    return assignment.application.cycle.standard.items().first()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5.1", "第 1.1 项的评分不能超过满分 5.0 分"),
        ("-0.5", "第 1.1 项的评分不能低于 0 分"),
        ("4.25", "第 1.1 项的评分最多保留一位小数"),
        ("abc", "第 1.1 项：请输入数字评分"),
    ],
)
def test_a_score_outside_the_item_range_is_refused_naming_the_item(
    declared, client_as, value, message
):
    item = first_item(declared)
    response = client_as("expert").post(
        reverse("evaluation:assignment", args=[declared.pk]),
        form_data(declared, **{f"score_{item.pk}": value}),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ExpertScore.objects.exists()  # nothing half-written


def test_the_maximum_and_zero_are_accepted(declared, client_as):
    items = list(declared.application.cycle.standard.items())
    data = form_data(declared, **{f"score_{items[0].pk}": "5.0", f"score_{items[1].pk}": "0"})
    response = client_as("expert").post(reverse("evaluation:assignment", args=[declared.pk]), data)
    assert response.status_code == 302
    assert ExpertScore.objects.get(assignment=declared, item=items[0]).score == Decimal("5.0")
    assert ExpertScore.objects.get(assignment=declared, item=items[1]).score == Decimal("0")


def test_a_draft_keeps_partial_scores_and_sign_off_needs_them_all(declared, client_as):
    client = client_as("expert")
    url = reverse("evaluation:assignment", args=[declared.pk])
    item = first_item(declared)
    data = form_data(
        declared, **{f"score_{item.pk}": "", f"finding_{item.pk}": "制度未覆盖仓储环节"}
    )
    assert client.post(url, data).status_code == 302
    row = ExpertScore.objects.get(assignment=declared, item=item)
    assert row.score is None and row.finding == "制度未覆盖仓储环节"
    page = client.get(url).content.decode()
    assert "制度未覆盖仓储环节" in page
    response = client.post(url, {**data, "action": "sign"})
    assert response.status_code == 400
    assert "第 1.1 项尚未评分" in response.content.decode()
    assert Assignment.objects.get(pk=declared.pk).signed_off_at is None


def test_scoring_needs_the_declaration_first(world):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    (assignment,) = assign(application, bureau, world.users["expert"])
    from assessments.services.evaluation import save_draft

    with pytest.raises(Refused, match="利益冲突声明"):
        save_draft(assignment=assignment, items={}, vetoes={}, overall_opinion="")


def test_a_veto_needs_its_facts(declared, client_as):
    veto = VetoItem.objects.get(standard=declared.application.cycle.standard, code="V1")
    response = client_as("expert").post(
        reverse("evaluation:assignment", args=[declared.pk]),
        form_data(declared, **{f"veto_{veto.pk}": "on"}),
    )
    assert response.status_code == 400
    assert "认定否决项 V1 时请写明事实与依据" in response.content.decode()


def test_after_sign_off_the_form_is_read_only_and_a_second_sign_off_is_refused(declared, client_as):
    client = client_as("expert")
    url = reverse("evaluation:assignment", args=[declared.pk])
    assert client.post(url, form_data(declared, action="sign")).status_code == 302
    signed_at = Assignment.objects.get(pk=declared.pk).signed_off_at
    assert signed_at is not None
    assert Application.objects.get(pk=declared.application_id).status == Status.EVALUATED
    page = client.get(url).content.decode()
    assert "评分已锁定" in page and 'name="score_' not in page
    again = client.post(url, form_data(declared, total="50.0", action="sign"))
    assert again.status_code == 409
    assert "不能重复签署" in again.content.decode()
    assert Assignment.objects.get(pk=declared.pk).signed_off_at == signed_at
    assert sum(s.score for s in ExpertScore.objects.filter(assignment=declared)) == Decimal("90.0")
    assert (
        Application.objects.get(pk=declared.application_id)
        .transitions.filter(name="complete_evaluation")
        .count()
        == 1
    )


def test_the_service_refuses_a_second_sign_off(world):
    application = evaluated_application(world, totals=("90.0",))
    assignment = application.assignments.get()
    with pytest.raises(Refused, match="不能重复签署"):
        sign(assignment, "80.0")


def test_the_evaluation_waits_for_every_assigned_expert(world):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    first, second = assign(application, bureau, world.users["expert"], world.users["expert_other"])
    sign(first, "90.0")
    assert Application.objects.get(pk=application.pk).status == Status.UNDER_EVALUATION
    sign(second, "80.0")
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.EVALUATED
    assert application.preliminary_score == Decimal("85.0")
    assert application.transitions.last().actor == world.users["expert_other"]


@pytest.mark.parametrize(
    ("totals", "preliminary", "star"),
    [
        (("85.0", "84.9"), "85.0", Star.FOUR),  # 84.95 → 85.0: four stars
        (("85.0", "85.0", "84.9"), "85.0", Star.FOUR),  # 84.966… → 85.0
        (("84.9", "84.9", "85.0"), "84.9", Star.THREE),  # 84.933… → 84.9
        (("95.0", "94.9"), "95.0", Star.FIVE),  # 94.95 → 95.0
        (("74.9", "75.0"), "75.0", Star.THREE),  # 74.95 → 75.0
        (("74.9", "74.9", "75.0"), "74.9", Star.NONE),
    ],
)
def test_preliminary_score_is_the_mean_rounded_half_up(world, totals, preliminary, star):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    users = [world.users["expert"], world.users["expert_other"]]
    if len(totals) == 3:
        users.append(expert_for(UserFactory, "expert3"))
    for assignment, total in zip(assign(application, bureau, *users), totals, strict=True):
        sign(assignment, total)
    application = Application.objects.get(pk=application.pk)
    assert application.preliminary_score == Decimal(preliminary)
    assert application.star == star
    assert not application.has_veto


def test_a_veto_found_by_one_expert_overrides_a_full_score(world):
    bureau = world.users["bureau"]
    veto = VetoItem.objects.get(code="V3", standard__version="v1")
    application = accepted_application(world.unit, bureau, declared_vetoes=[veto])
    first, second = assign(application, bureau, world.users["expert"], world.users["expert_other"])
    sign(first, "100.0")
    sign(second, "100.0", vetoes={veto.pk: "2026年5月一起轻伤事故未按规定上报"})
    application = Application.objects.get(pk=application.pk)
    assert application.preliminary_score == Decimal("100.0")
    assert application.has_veto and application.star == Star.NONE
    # the enterprise declared this veto itself: not a missed one
    assert not application.veto_missed_flagged


def test_a_veto_the_enterprise_did_not_declare_is_flagged(world):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau, self_total=Decimal("90.0"))
    (assignment,) = assign(application, bureau, world.users["expert"])
    veto = VetoItem.objects.get(code="V4", standard__version="v1")
    sign(assignment, "88.0", vetoes={veto.pk: "安全员证书系伪造"})
    application = Application.objects.get(pk=application.pk)
    assert application.veto_missed_flagged and application.has_veto
    assert not application.gap_flagged


@pytest.mark.parametrize(
    ("self_total", "expert_total", "flagged"),
    [("95.0", "85.0", False), ("95.1", "85.0", True), ("80.0", "95.0", False)],
)
def test_a_self_score_far_above_the_experts_is_flagged(world, self_total, expert_total, flagged):
    application = evaluated_application(
        world, totals=(expert_total,), self_total=Decimal(self_total)
    )
    assert application.gap_flagged is flagged
    assert not application.veto_missed_flagged


def test_the_gap_threshold_is_the_cycles(world):
    from tests.evaluation_support import open_cycle

    cycle = open_cycle()
    cycle.gap_threshold = Decimal("5.0")
    cycle.save()
    application = evaluated_application(world, totals=("90.0",), self_total=Decimal("95.1"))
    assert application.gap_flagged
