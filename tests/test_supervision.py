"""Classified supervision: tiers, inspections and hazards, two years without a star, and
lifting key monitoring (信用修复)."""

import datetime

import pytest
from django.utils import timezone

from linkage import selectors
from linkage.models import (
    CreditRepair,
    Hazard,
    Inspection,
    Notice,
    RectificationOrder,
    Tier,
)
from linkage.services import supervision
from portal.models import Notification
from public.archive import timeline
from tests.publication_support import publish_results

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


def test_each_published_result_sets_the_supervision_tier(world):
    from tests.factories import UnitFactory

    three = UnitFactory()
    publish_results([(world.unit, 5), (world.other_unit, 0), (three, 3)], year=2025)
    assert selectors.supervision_tier_for(world.unit) == Tier.SELF_MANAGEMENT
    assert selectors.supervision_tier_for(three) == Tier.TRACKING
    assert selectors.supervision_tier_for(world.other_unit) == Tier.KEY


def test_the_township_sees_the_supervision_of_its_own_units_only(world, client_as):
    publish_results([(world.unit, 0), (world.other_unit, 0)], year=2025)
    page = client_as("township").get("/linkage/supervision/")
    assert [u.pk for u in page.context["page"]] == [world.unit.pk]
    assert (
        client_as("township").get(f"/linkage/supervision/units/{world.other_unit.pk}/").status_code
        == 404
    )


def test_bureau_plans_inspections_by_tier_and_records_hazards(world, client_as):
    publish_results([(world.unit, 0), (world.other_unit, 4)], year=2025)
    client = client_as("bureau")
    due = client.get("/linkage/supervision/plan/").context["due"]
    assert {u.pk for u in due} == {world.unit.pk, world.other_unit.pk}
    planned_on = timezone.localdate().isoformat()
    client.post(
        "/linkage/supervision/plan/",
        {"planned_on": planned_on, "unit": [world.unit.pk, world.other_unit.pk]},
    )
    kinds = dict(Inspection.objects.values_list("unit_id", "kind"))
    assert kinds == {world.unit.pk: "key", world.other_unit.pk: "irregular"}
    assert client.get("/linkage/supervision/plan/").context["due"] == []

    inspection = Inspection.objects.get(unit=world.unit)
    deadline = (timezone.localdate() + datetime.timedelta(days=15)).isoformat()
    response = client.post(
        f"/linkage/inspections/{inspection.pk}/record/",
        {
            "inspected_on": planned_on,
            "inspector": "张检查、李督查",
            "findings": "现场检查发现两处隐患。",
            "hazard-TOTAL_FORMS": "3",
            "hazard-INITIAL_FORMS": "0",
            "hazard-0-description": "配电箱未接地",
            "hazard-0-severity": "general",
            "hazard-0-deadline": deadline,
            "hazard-1-description": "消防通道堵塞",
            "hazard-1-severity": "major",
            "hazard-1-deadline": "",
            "hazard-2-severity": "general",
        },
    )
    assert response.status_code == 400
    assert "请填写该隐患的整改期限" in response.content.decode()
    assert not Hazard.objects.exists()

    fixed = client.post(
        f"/linkage/inspections/{inspection.pk}/record/",
        {**response.wsgi_request.POST.dict(), "hazard-1-deadline": deadline},
    )
    assert fixed.status_code == 302
    assert sorted(Hazard.objects.values_list("severity", flat=True)) == ["general", "major"]
    inspection.refresh_from_db()
    assert inspection.is_done and inspection.inspector == "张检查、李督查"


def _hazard(world, deadline) -> Hazard:
    inspection = Inspection.objects.create(
        unit=world.unit,
        kind="key",
        planned_on=deadline,
        inspected_on=deadline,
        planned_by=world.users["bureau"],
    )
    return Hazard.objects.create(
        inspection=inspection, unit=world.unit, description="消防通道堵塞", deadline=deadline
    )


def test_overdue_hazards_remind_the_township_and_the_bureau_once_a_day(world):
    hazard = _hazard(world, TODAY - datetime.timedelta(days=1))
    _hazard(world, TODAY + datetime.timedelta(days=5))  # not yet due

    assert supervision.send_hazard_reminders(TODAY) == 1
    assert supervision.send_hazard_reminders(TODAY) == 0
    township = Notification.objects.filter(recipient=world.users["township"])
    assert township.count() == 1 and "隐患整改逾期" in township.get().subject
    assert Notification.objects.filter(recipient=world.users["bureau"]).count() == 1
    assert not Notification.objects.filter(recipient=world.users["township_other"]).exists()

    assert supervision.send_hazard_reminders(TODAY + datetime.timedelta(days=1)) == 1
    supervision.mark_rectified(
        hazard=hazard, actor=world.users["township"], on=TODAY + datetime.timedelta(days=1)
    )
    assert supervision.send_hazard_reminders(TODAY + datetime.timedelta(days=2)) == 0


def test_township_marks_a_hazard_rectified_but_not_another_areas(world, client_as):
    hazard = _hazard(world, TODAY)
    today = timezone.localdate().isoformat()
    assert (
        client_as("township_other")
        .post(f"/linkage/hazards/{hazard.pk}/rectified/", {"rectified_on": today})
        .status_code
        == 404
    )
    client_as("township").post(f"/linkage/hazards/{hazard.pk}/rectified/", {"rectified_on": today})
    hazard.refresh_from_db()
    assert hazard.rectified_on == timezone.localdate()


def test_two_years_without_a_star_brings_a_rectification_order(world):
    publish_results([(world.unit, 0), (world.other_unit, 3)], year=2024)
    assert not RectificationOrder.objects.exists()
    [second, _] = publish_results([(world.unit, 0), (world.other_unit, 0)], year=2025)

    order = RectificationOrder.objects.get()
    assert order.unit == world.unit and order.rating == second
    assert order.reason == RectificationOrder.Reason.TWO_YEARS
    assert order.deadline == second.published_on + datetime.timedelta(days=90)
    assert Notification.objects.filter(
        recipient=world.users["township"], subject__contains="连续两年无星级"
    ).exists()
    # The daily beat task finds nothing new.
    assert supervision.detect_two_years_without_star() == []


def test_the_order_outcome_is_recorded_once_and_shown_in_the_archive(world, client_as):
    publish_results([(world.unit, 0)], year=2024)
    publish_results([(world.unit, 0)], year=2025)
    order = RectificationOrder.objects.get()
    client = client_as("bureau")
    data = {
        "outcome": "closure",
        "outcome_note": "验收仍不合格",
        "outcome_on": timezone.localdate().isoformat(),
    }
    client.post(f"/linkage/orders/{order.pk}/outcome/", data)
    again = client.post(f"/linkage/orders/{order.pk}/outcome/", {**data, "outcome": "passed"})
    assert again.status_code == 400 and "已记录结果" in again.content.decode()
    order.refresh_from_db()
    assert order.outcome == RectificationOrder.Outcome.CLOSURE_PROPOSED

    titles = [entry.detail for entry in timeline(world.unit, world.users["department"])]
    assert any("提请市政府予以关闭" in detail for detail in titles)
    public = [entry.title for entry in timeline(world.unit, None)]
    assert not any("限期整改" in title for title in public)


def test_lifting_key_monitoring_needs_a_passed_acceptance_check(world, client_as):
    [rating] = publish_results([(world.unit, 0)], year=2025)
    client = client_as("bureau")
    refused = client.post(
        f"/linkage/supervision/units/{world.unit.pk}/lift/", {"reason": "整改到位"}
    )
    assert refused.status_code == 400 and "尚未通过整改验收" in refused.content.decode()

    deadline = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    client.post(
        f"/linkage/supervision/units/{world.unit.pk}/order/",
        {"requirements": "全面整改", "deadline": deadline},
    )
    order = RectificationOrder.objects.get(unit=world.unit)
    client.post(
        f"/linkage/orders/{order.pk}/outcome/",
        {
            "outcome": "passed",
            "outcome_note": "验收合格",
            "outcome_on": timezone.localdate().isoformat(),
        },
    )
    client.post(
        f"/linkage/supervision/units/{world.unit.pk}/lift/", {"reason": "整改验收合格，信用修复"}
    )

    repair = CreditRepair.objects.get()
    assert repair.rating == rating and repair.order == order
    assert selectors.supervision_tier_for(world.unit) == Tier.TRACKING
    # The departments that restricted it hear of the lift, once each, through the outbox.
    restricted = set(
        Notice.objects.filter(rating=rating, event="published").values_list(
            "department_id", flat=True
        )
    )
    lifted = Notice.objects.filter(rating=rating, event="lifted")
    assert set(lifted.values_list("department_id", flat=True)) == restricted
    assert lifted.first().reason == "整改验收合格，信用修复"
    again = client.post(f"/linkage/supervision/units/{world.unit.pk}/lift/", {"reason": "再次"})
    assert again.status_code == 400 and lifted.count() == len(restricted)


def test_the_public_sees_listing_and_lifting_with_their_dates(world):
    [rating] = publish_results([(world.unit, 0)], year=2025)
    order = RectificationOrder.objects.create(
        unit=world.unit,
        rating=rating,
        reason="key_monitoring",
        requirements="整改",
        issued_on=TODAY,
        deadline=TODAY,
        outcome="passed",
        outcome_on=timezone.localdate(),
    )
    supervision.lift_key_monitoring(
        unit=world.unit, actor=world.users["bureau"], reason="整改验收合格"
    )
    changes = selectors.public_status_changes(world.unit)
    assert changes[0][0] == timezone.localdate() and "解除重点监控" in changes[0][1]
    assert changes[1][0] == rating.published_on and "重点监控单位" in changes[1][1]
    public = timeline(world.unit, None)
    # The published rating is public too (SPEC §5: the star level); ratings.archive adds it.
    assert {e.kind for e in public} == {"supervision_status", "rating"}
    assert order.pk


def test_counts_for_other_apps(world):
    _hazard(world, timezone.localdate() - datetime.timedelta(days=1))
    publish_results([(world.unit, 4)], year=2025)
    from linkage.services.delivery import deliver_inbox

    deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    assert selectors.overdue_hazard_count() == 1
    assert selectors.unacknowledged_notice_count() == 10
    assert selectors.unacknowledged_notice_count(world.users["department"]) == 1


def test_dashboards_show_each_role_what_awaits_it(world, client_as):
    _hazard(world, timezone.localdate() - datetime.timedelta(days=1))
    publish_results([(world.unit, 4)], year=2025)
    from linkage.services.delivery import deliver_inbox

    deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    assert "待签收的联动通报" in client_as("department").get("/dashboard/").content.decode()
    assert "逾期未整改的隐患" in client_as("township").get("/dashboard/").content.decode()
    bureau = client_as("bureau").get("/dashboard/").content.decode()
    # The bureau's dashboard lists only queues with work: the overdue hazard, not empty queues.
    assert "逾期未整改的隐患" in bureau
    assert "推送失败的 Webhook" not in bureau and "到期待验收的限期整改" not in bureau
