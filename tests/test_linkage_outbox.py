"""Publication writes notices in its own transaction; delivery and sweeps never duplicate."""

import time

import pytest
from django.db import transaction

from linkage import defaults
from linkage.models import DepartmentLink, Notice, PolicyVersion, Result
from linkage.services import delivery, policy
from ratings.signals import ratings_revoked
from tests.factories import UnitFactory
from tests.publication_support import confirmed, past_cycle, publish_confirmed
from tests.publication_support import publish_results as publish
from units.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """What would have gone to the broker."""
    calls = []
    monkeypatch.setattr("portal.queue.send_tasks", lambda batch: calls.extend(batch) or True)
    return calls


def queued_notice_ids(calls) -> list[int]:
    return sorted(
        pk for task, args, _opts in calls if task.name.endswith("deliver_inbox") for pk in args[0]
    )


def notices_of(rating) -> set[tuple]:
    """What each department is told: unit, cycle, result (the star), the measure it applies
    with its category and legal basis."""
    return set(
        Notice.objects.filter(rating=rating).values_list(
            "department__short_name",
            "unit__name",
            "rating__cycle__year",
            "rating__star",
            "event",
            "result",
            "measure",
            "category",
            "basis_document",
            "basis_article",
        )
    )


def test_publication_tells_each_linked_department_the_unit_star_cycle_and_its_measure(
    world, sent, django_capture_on_commit_callbacks
):
    applications = confirmed(
        [(world.unit, "96.0"), (world.other_unit, "92.0", True)], past_cycle(2025)
    )
    with django_capture_on_commit_callbacks(execute=True):
        five, none = publish_confirmed(applications, with_certificates=False)

    matrix = defaults.default_matrix()
    assert (five.star, none.star) == (5, 0)  # the veto leaves 92 points without a star
    assert notices_of(five) == {
        (short, world.unit.name, 2025, 5, "published", Result.FIVE, *matrix["5"][short])
        for short in defaults.LINKED
    }
    assert notices_of(none) == {
        (short, world.other_unit.name, 2025, 0, "published", Result.NONE, *matrix["none"][short])
        for short in defaults.LINKED
    }
    caizheng = Notice.objects.get(rating=five, department__short_name="财政")
    assert caizheng.measure == defaults.SUPPORT + defaults.AWARDS
    assert caizheng.policy_version == PolicyVersion.objects.get(number=1)
    land = Notice.objects.get(rating=none, department__short_name="国土资源")
    assert "土地使用" in land.measure
    assert queued_notice_ids(sent) == sorted(Notice.objects.values_list("pk", flat=True))


def test_notices_are_not_in_any_inbox_until_delivered(world, sent):
    publish([(world.unit, 4)], year=2025)
    caizheng = Department.objects.get(short_name="财政")
    assert not Notice.objects.for_department(caizheng.pk).exists()
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    assert Notice.objects.for_department(caizheng.pk).count() == 1


def test_notices_roll_back_with_a_failed_publication(world, sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish([(world.unit, 4)], year=2025)
        raise RuntimeError("publication failed after the signal")
    assert Notice.objects.count() == 0
    assert sent == []


def test_a_repeated_signal_writes_no_second_notice(world, sent):
    from ratings.signals import ratings_published

    [rating] = publish([(world.unit, 3)], year=2025)
    ratings_published.send(sender=None, ratings=[rating])
    assert Notice.objects.count() == 10


def test_inbox_delivery_is_idempotent(world, sent):
    publish([(world.unit, 3)], year=2025)
    ids = list(Notice.objects.values_list("pk", flat=True))
    assert delivery.deliver_inbox(ids) == 10
    first = set(Notice.objects.values_list("delivered_at", flat=True))
    assert delivery.deliver_inbox(ids) == 0
    assert set(Notice.objects.values_list("delivered_at", flat=True)) == first


def test_publishing_survives_a_dead_broker(world, django_capture_on_commit_callbacks):
    from tests.throwaway import broker, free_port

    applications = confirmed([(world.unit, 5)], past_cycle(2025))
    with broker(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            publish_confirmed(applications)
        assert time.monotonic() - started < 3
    assert Notice.objects.filter(delivered_at__isnull=True).count() == 10


def test_the_sweep_requeues_only_what_is_still_pending(world, sent):
    publish([(world.unit, 5), (world.other_unit, 4)], year=2025)
    delivered = list(Notice.objects.filter(unit=world.unit).values_list("pk", flat=True))
    delivery.deliver_inbox(delivered)
    sent.clear()

    assert delivery.sweep(older_than=3600)["notices"] == 0  # too fresh: the worker has it
    result = delivery.sweep(older_than=0)
    assert result["notices"] == 10
    assert queued_notice_ids(sent) == sorted(
        Notice.objects.filter(unit=world.other_unit).values_list("pk", flat=True)
    )


def test_a_disabled_department_is_not_notified(world, sent):
    DepartmentLink.objects.filter(department__short_name="公安").update(is_enabled=False)
    publish([(world.unit, 4)], year=2025)
    assert Notice.objects.count() == 9
    assert not Notice.objects.filter(department__short_name="公安").exists()


def test_revocation_sends_a_revocation_notice_with_the_reason(world, sent):
    [rating] = publish([(world.unit, 5)], year=2025)
    with transaction.atomic():
        ratings_revoked.send(sender=None, ratings=[rating], reason="申报材料弄虚作假")
    revoked = Notice.objects.filter(rating=rating, event="revoked")
    assert revoked.count() == 10
    assert set(revoked.values_list("reason", flat=True)) == {"申报材料弄虚作假"}
    assert set(revoked.values_list("result", flat=True)) == {Result.REVOKED}


def test_a_new_matrix_version_applies_to_later_notices_only(world, sent):
    publish([(world.unit, 3)], year=2024)
    caizheng = Department.objects.get(short_name="财政")
    cell = defaults.Cell("三星级单位贷款利率优惠。", "incentive", "《某市信贷支持办法》", "第五条")
    version = policy.create_version(
        actor=world.users["bureau"], cells={(Result.THREE, caizheng.pk): cell}, note="试行"
    )
    publish([(world.other_unit, 3)], year=2025)

    old = Notice.objects.get(unit=world.unit, department=caizheng)
    new = Notice.objects.get(unit=world.other_unit)  # only 财政 is in v2's 3-star row
    assert old.policy_version.number == 1 and old.measure == defaults.NOTICE_ONLY
    assert new.policy_version == version and new.measure == "三星级单位贷款利率优惠。"
    assert old.basis == f"{defaults.SEED} {defaults.NOTIFIED}"
    assert (new.category, new.basis) == ("incentive", "《某市信贷支持办法》 第五条")


def _queries_to_publish(count: int, year: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    applications = confirmed(
        [(unit, 4) for unit in UnitFactory.create_batch(count)], past_cycle(year)
    )
    with CaptureQueriesContext(connection) as queries:
        publish_confirmed(applications, with_certificates=False)
    return len(queries)


def test_publishing_a_bigger_batch_costs_no_more_queries(world, sent):
    _queries_to_publish(1, 2023)  # content types and the policy read once, as in a live process
    assert _queries_to_publish(20, 2025) == _queries_to_publish(2, 2024)


def test_inbox_deliveries_are_queued_in_batches(
    world, sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("LINKAGE_INBOX_BATCH", "4")
    applications = confirmed([(world.unit, 4)], past_cycle(2025))
    with django_capture_on_commit_callbacks(execute=True):
        publish_confirmed(applications)
    inbox = [args for task, args, _opts in sent if task.name.endswith("deliver_inbox")]
    assert [len(args[0]) for args in inbox] == [4, 4, 2]
