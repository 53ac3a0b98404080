"""The audit log is tamper-evident: an edited or deleted entry is found by the chain, and
nothing younger than the retention period can be purged."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal import audit_chain, tasks
from portal.models import AuditSeal

pytestmark = pytest.mark.django_db


def _as_owner_bypassing_triggers(sql: str, params=()) -> None:
    """What only the database owner can do: switch the append-only triggers off and rewrite."""
    with connection.cursor() as cursor:
        # Deferred foreign-key checks of this test's transaction would block ALTER TABLE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in ("auditlog_logentry", "portal_auditseal"):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        for table in ("auditlog_logentry", "portal_auditseal"):
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def _three_sealed_entries(world):
    for name in ("甲公司", "乙公司", "丙公司"):
        world.unit.name = f"新郑市{name}"
        world.unit.save()
    audit_chain.seal_pending()
    return list(LogEntry.objects.filter(seal__isnull=False).order_by("seal__seq"))


def test_an_untouched_log_verifies(world):
    entries = _three_sealed_entries(world)
    report = audit_chain.verify()
    assert report.intact
    assert report.checked == len(entries) and report.unsealed == 0
    out = io.StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert f"head={report.head}" in out.getvalue()


def test_an_edited_entry_is_detected(world):
    entries = _three_sealed_entries(world)
    victim = entries[-2]
    _as_owner_bypassing_triggers(
        "UPDATE auditlog_logentry SET object_repr = %s WHERE id = %s", ["伪造", victim.pk]
    )
    report = audit_chain.verify()
    assert report.problems == [f"seal {victim.seal.seq}: entry {victim.pk} altered"]
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=io.StringIO(), stderr=io.StringIO())


def test_an_entry_whose_json_changes_is_detected(world):
    victim = _three_sealed_entries(world)[0]
    _as_owner_bypassing_triggers(
        'UPDATE auditlog_logentry SET changes = \'{"name": ["a", "b"]}\' WHERE id = %s',
        [victim.pk],
    )
    assert not audit_chain.verify().intact


def test_a_deleted_entry_is_detected(world):
    victim = _three_sealed_entries(world)[1]
    _as_owner_bypassing_triggers("DELETE FROM auditlog_logentry WHERE id = %s", [victim.pk])
    assert audit_chain.verify().problems == [f"seal {victim.seal.seq}: entry {victim.pk} deleted"]


def test_an_entry_deleted_with_its_seal_breaks_the_chain(world):
    entries = _three_sealed_entries(world)
    victim = entries[1]
    _as_owner_bypassing_triggers("DELETE FROM portal_auditseal WHERE entry_id = %s", [victim.pk])
    _as_owner_bypassing_triggers("DELETE FROM auditlog_logentry WHERE id = %s", [victim.pk])
    problems = audit_chain.verify().problems
    assert problems == [f"seal {entries[2].seal.seq}: chain broken before it (a seal removed)"]


def test_seals_cannot_be_rewritten_by_the_application(world):
    _three_sealed_entries(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSeal.objects.update(digest="0" * 64)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSeal.objects.all().delete()


def test_entries_are_sealed_after_their_transaction_commits(world):
    world.unit.name = "新郑市提交后封存有限公司"
    world.unit.save()
    world.unit.save()
    queued = [
        callback
        for _sids, callback, _robust in connection.run_on_commit
        if callback is audit_chain._seal_after_commit
    ]
    assert len(queued) == 1  # one seal run per transaction, however many entries it wrote
    queued[0]()  # what the commit runs
    assert not LogEntry.objects.filter(seal__isnull=True).exists()
    assert audit_chain.verify().intact


def test_a_commit_seals_one_batch_and_the_beat_task_the_rest(world, monkeypatch):
    """A publication of thousands does not hash them all before it answers (decision 0117):
    its commit seals one batch, the chain's beat task the rest, in order."""
    audit_chain.seal_pending()
    monkeypatch.setattr("portal.audit_chain.BATCH", 2)
    for number in range(5):
        world.unit.name = f"新郑市分批封存{number}有限公司"
        world.unit.save()
    audit_chain._seal_after_commit()
    assert LogEntry.objects.filter(seal__isnull=True).count() == 3
    assert audit_chain.verify().intact
    assert tasks.seal_audit_log() == 3
    assert not LogEntry.objects.filter(seal__isnull=True).exists()
    assert audit_chain.verify().intact


def _old_entry(world, days: int) -> LogEntry:
    return LogEntry.objects.create(
        content_type_id=LogEntry.objects.first().content_type_id,
        object_pk=str(world.unit.pk),
        object_repr="旧记录",
        action=LogEntry.Action.UPDATE,
        changes={"name": ["a", "b"]},
        timestamp=timezone.now() - datetime.timedelta(days=days),
    )


def test_purge_refuses_anything_younger_than_the_retention_period(world, settings):
    settings.AUDIT_RETENTION_DAYS = 180
    recent = (timezone.now() - datetime.timedelta(days=170)).date()
    with pytest.raises(CommandError, match="refused"):
        call_command("purge_audit_log", "--before", recent.isoformat())


def test_the_database_refuses_to_delete_a_young_entry_even_when_asked_to_purge(world):
    world.unit.save()
    young = _old_entry(world, days=179)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL portal.audit_purge = 'on'")
        LogEntry.objects.filter(pk=young.pk)._raw_delete("default")


def test_purge_removes_old_entries_and_the_chain_still_verifies(world):
    world.unit.save()
    _old_entry(world, days=400)
    _old_entry(world, days=300)
    # Pending entries are sealed oldest first, so the old ones open the chain.
    old_ids = list(
        LogEntry.objects.filter(object_repr="旧记录")
        .order_by("timestamp")
        .values_list("pk", flat=True)
    )
    audit_chain.seal_pending()
    cutoff = (timezone.now() - datetime.timedelta(days=200)).date()
    out = io.StringIO()
    call_command("purge_audit_log", "--before", cutoff.isoformat(), stdout=out)
    remaining = set(LogEntry.objects.values_list("pk", flat=True))
    purged = [pk for pk in old_ids if pk not in remaining]
    assert purged  # the run of old entries at the start of the chain is gone
    assert audit_chain.verify().intact
    assert LogEntry.objects.filter(additional_data__event="audit_purged").exists()
