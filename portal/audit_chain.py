"""The audit log is tamper-evident: every entry is chained to the one before by a hash.

Entries are sealed after they commit, in the order a single sealer finds them (a PostgreSQL
advisory lock makes it single), not inside the writing transaction: sealing there would take a
global lock in every request that writes, and a request holding row locks would then deadlock
against another holding the seal lock. A transaction that writes entries queues
``seal_pending`` for after its commit, one batch of it; the beat task
``portal.tasks.seal_audit_log`` seals anything left (a worker's bulk write, the rest of a
publication of thousands, a crash between commit and seal).

``verify()`` walks the seals in order and recomputes every digest: an edited entry no longer
matches its seal, a deleted entry leaves its seal without an entry, and a deleted seal breaks
the link of the next one. Only the database owner can do any of that (the application's role
cannot UPDATE, DELETE or TRUNCATE the log, see ``portal.db_roles``); the chain is how it shows.
The last seal's digest is printed by ``manage.py verify_audit_chain``: keeping that line
outside the database (the operations log) also catches removal of the newest entries.
"""

import hashlib
import json
import logging
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db import connection, transaction

from portal.models import AuditPurge, AuditSeal

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# pg_advisory_xact_lock key: "audit" in ASCII.
SEAL_LOCK = 0x6175646974
BATCH = 2000
HASHED_FIELDS = (
    "id",
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "additional_data",
)


def canonical(entry: LogEntry) -> bytes:
    content = {name: getattr(entry, name) for name in HASHED_FIELDS}
    content["timestamp"] = entry.timestamp.isoformat()
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def digest(entry: LogEntry, previous: str) -> str:
    return hashlib.sha256(previous.encode() + canonical(entry)).hexdigest()


def _head() -> str:
    last = AuditSeal.objects.order_by("-seq").only("digest").first()
    if last is not None:
        return last.digest
    purge = AuditPurge.objects.first()
    return purge.last_digest if purge else GENESIS


def seal_pending(*, limit: int | None = None) -> int:
    """Seal the entries not sealed yet, oldest first, all of them or about ``limit`` (whole
    batches); returns how many."""
    sealed = 0
    while limit is None or sealed < limit:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
            pending = list(
                LogEntry.objects.filter(seal__isnull=True).order_by("timestamp", "pk")[:BATCH]
            )
            if not pending:
                return sealed
            previous = _head()
            seals = []
            for entry in pending:
                current = digest(entry, previous)
                seals.append(AuditSeal(entry_id=entry.pk, previous=previous, digest=current))
                previous = current
            AuditSeal.objects.bulk_create(seals)
            sealed += len(seals)
    return sealed


def _seal_after_commit() -> None:
    # One batch: a request's own entries are sealed before it answers, but a publication of
    # ten thousand results leaves the rest to the beat task, as a delivery does; hashing them
    # held the answer and the notices' queueing for seconds (docs/decisions/0117).
    try:
        seal_pending(limit=BATCH)
    except Exception:  # the beat task seals what this missed; the request already succeeded
        logger.exception("msg=audit_seal_failed")


def seal_on_commit() -> None:
    """Queue one seal run for after the current transaction commits (once per transaction)."""
    if any(callback is _seal_after_commit for _sids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_seal_after_commit)


@dataclass
class Report:
    checked: int = 0
    unsealed: int = 0
    head: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify() -> Report:
    report = Report()
    purge = AuditPurge.objects.first()
    expected = purge.last_digest if purge else GENESIS
    seals = AuditSeal.objects.order_by("seq")
    if purge:
        seals = seals.filter(seq__gt=purge.through_seq)
    for chunk in _chunks(seals.iterator(chunk_size=BATCH)):
        entries = LogEntry.objects.in_bulk([seal.entry_id for seal in chunk])
        for seal in chunk:
            if seal.previous != expected:
                report.problems.append(f"seal {seal.seq}: chain broken before it (a seal removed)")
            entry = entries.get(seal.entry_id)
            if entry is None:
                report.problems.append(f"seal {seal.seq}: entry {seal.entry_id} deleted")
            elif digest(entry, seal.previous) != seal.digest:
                report.problems.append(f"seal {seal.seq}: entry {seal.entry_id} altered")
            expected = seal.digest
            report.checked += 1
    report.head = expected
    report.unsealed = LogEntry.objects.filter(seal__isnull=True).count()
    return report


def purge_before(cutoff) -> int:
    """Delete the oldest sealed entries older than ``cutoff`` and their seals, and record where
    the chain now starts. Call inside a transaction that ran ``SET LOCAL portal.audit_purge``;
    the database refuses the deletes otherwise, and for anything younger than 180 days."""
    from portal.security_events import SecurityEvent, record_security_event

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
    purge = AuditPurge.objects.first()
    seals = AuditSeal.objects.order_by("seq")
    if purge:
        seals = seals.filter(seq__gt=purge.through_seq)
    last, entry_ids = None, []
    for chunk in _chunks(seals.iterator(chunk_size=BATCH)):
        entries = LogEntry.objects.in_bulk([seal.entry_id for seal in chunk])
        for seal in chunk:
            entry = entries.get(seal.entry_id)
            if entry is None or entry.timestamp >= cutoff:
                break  # the chain is cut only from its start: keep the rest whole
            last = seal
            entry_ids.append(entry.pk)
        else:
            continue
        break
    if last is None:
        return 0
    for start in range(0, len(entry_ids), BATCH):
        LogEntry.objects.filter(pk__in=entry_ids[start : start + BATCH])._raw_delete("default")
    AuditSeal.objects.filter(seq__lte=last.seq)._raw_delete("default")
    AuditPurge.objects.create(
        through_seq=last.seq, last_digest=last.digest, entries=len(entry_ids), before=cutoff
    )
    record_security_event(
        SecurityEvent.AUDIT_PURGED,
        description=f"{len(entry_ids)}",
        details={"before": cutoff.isoformat(), "entries": len(entry_ids)},
    )
    return len(entry_ids)


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(_entry_written, sender=LogEntry, dispatch_uid="audit_seal_on_commit")


def _entry_written(sender, instance, created, **kwargs):
    if created:
        seal_on_commit()


def _chunks(iterable):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == BATCH:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
