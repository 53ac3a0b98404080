"""Publication writes notices in its own transaction; delivery and sweeps never duplicate."""

import time

import pytest
from django.db import transaction

from linkage import defaults
from linkage.fixtures import past_cycle, publish
from linkage.models import DepartmentLink, Notice, PolicyVersion, Result
from linkage.services import delivery, policy
from ratings.signals import ratings_revoked
from tests.factories import UnitFactory
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


def test_each_linked_department_gets_one_notice_per_unit_with_the_matrix_measure(
    world, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        five, none = publish(
            [(world.unit, 5), (world.other_unit, 0)], past_cycle(2025), world.users["bureau"]
        )

    assert Notice.objects.filter(rating=five).count() == 10
    assert Notice.objects.filter(rating=none).count() == 10
    caizheng = Notice.objects.get(rating=five, department__short_name="财政")
    assert caizheng.measure == defaults.SUPPORT + defaults.AWARDS
    assert caizheng.policy_version == PolicyVersion.objects.get(number=1)
    land = Notice.objects.get(rating=none, department__short_name="国土资源")
    assert land.result == Result.NONE and "土地使用" in land.measure
    assert queued_notice_ids(sent) == sorted(Notice.objects.values_list("pk", flat=True))


def test_notices_are_not_in_any_inbox_until_delivered(world, sent):
    publish([(world.unit, 4)], past_cycle(2025), world.users["bureau"])
    caizheng = Department.objects.get(short_name="财政")
    assert not Notice.objects.for_department(caizheng.pk).exists()
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    assert Notice.objects.for_department(caizheng.pk).count() == 1


def test_notices_roll_back_with_a_failed_publication(world, sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish([(world.unit, 4)], past_cycle(2025), world.users["bureau"])
        raise RuntimeError("publication failed after the signal")
    assert Notice.objects.count() == 0
    assert sent == []


def test_a_repeated_signal_writes_no_second_notice(world, sent):
    from ratings.signals import ratings_published

    [rating] = publish([(world.unit, 3)], past_cycle(2025), world.users["bureau"])
    ratings_published.send(sender=None, ratings=[rating])
    assert Notice.objects.count() == 10


def test_inbox_delivery_is_idempotent(world, sent):
    publish([(world.unit, 3)], past_cycle(2025), world.users["bureau"])
    ids = list(Notice.objects.values_list("pk", flat=True))
    assert delivery.deliver_inbox(ids) == 10
    first = set(Notice.objects.values_list("delivered_at", flat=True))
    assert delivery.deliver_inbox(ids) == 0
    assert set(Notice.objects.values_list("delivered_at", flat=True)) == first


def test_publishing_survives_a_dead_broker(world, django_capture_on_commit_callbacks):
    from tests.throwaway import broker, free_port

    with broker(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            publish([(world.unit, 5)], past_cycle(2025), world.users["bureau"])
        assert time.monotonic() - started < 3
    assert Notice.objects.filter(delivered_at__isnull=True).count() == 10


def test_the_sweep_requeues_only_what_is_still_pending(world, sent):
    publish([(world.unit, 5), (world.other_unit, 4)], past_cycle(2025), world.users["bureau"])
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
    publish([(world.unit, 4)], past_cycle(2025), world.users["bureau"])
    assert Notice.objects.count() == 9
    assert not Notice.objects.filter(department__short_name="公安").exists()


def test_revocation_sends_a_revocation_notice_with_the_reason(world, sent):
    [rating] = publish([(world.unit, 5)], past_cycle(2025), world.users["bureau"])
    with transaction.atomic():
        ratings_revoked.send(sender=None, ratings=[rating], reason="申报材料弄虚作假")
    revoked = Notice.objects.filter(rating=rating, event="revoked")
    assert revoked.count() == 10
    assert set(revoked.values_list("reason", flat=True)) == {"申报材料弄虚作假"}
    assert set(revoked.values_list("result", flat=True)) == {Result.REVOKED}


def test_a_new_matrix_version_applies_to_later_notices_only(world, sent):
    publish([(world.unit, 3)], past_cycle(2024), world.users["bureau"])
    caizheng = Department.objects.get(short_name="财政")
    cell = defaults.Cell("三星级单位贷款利率优惠。", "incentive", "《某市信贷支持办法》", "第五条")
    version = policy.create_version(
        actor=world.users["bureau"], cells={(Result.THREE, caizheng.pk): cell}, note="试行"
    )
    publish([(world.other_unit, 3)], past_cycle(2025), world.users["bureau"])

    old = Notice.objects.get(unit=world.unit, department=caizheng)
    new = Notice.objects.get(unit=world.other_unit)  # only 财政 is in v2's 3-star row
    assert old.policy_version.number == 1 and old.measure == defaults.NOTICE_ONLY
    assert new.policy_version == version and new.measure == "三星级单位贷款利率优惠。"
    assert old.basis == f"{defaults.SEED} {defaults.NOTIFIED}"
    assert (new.category, new.basis) == ("incentive", "《某市信贷支持办法》 第五条")


def _queries_to_publish(count: int, year: int, publisher) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    units = UnitFactory.create_batch(count)
    with CaptureQueriesContext(connection) as queries:
        publish([(unit, 4) for unit in units], past_cycle(year), publisher)
    return len(queries)


def test_publishing_a_bigger_batch_costs_no_more_queries(world, sent):
    publisher = world.users["bureau"]
    past_cycle(2024), past_cycle(2025)
    assert _queries_to_publish(20, 2025, publisher) == _queries_to_publish(2, 2024, publisher)


def test_inbox_deliveries_are_queued_in_batches(
    world, sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("LINKAGE_INBOX_BATCH", "4")
    with django_capture_on_commit_callbacks(execute=True):
        publish([(world.unit, 4)], past_cycle(2025), world.users["bureau"])
    assert [len(args[0]) for _task, args, _opts in sent] == [4, 4, 2]
