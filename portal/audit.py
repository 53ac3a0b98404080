"""Audit entries for writes that send no model signals.

django-auditlog records save() and delete() of the registered models by itself (settings'
AUDITLOG_INCLUDE_TRACKING_MODELS and the apps' ready()). bulk_create, bulk_update and
QuerySet.update() send no signals, so the services that use them for speed (an expert's score
sheet, a delivery batch, a department acknowledging notices) record here what they changed, in
the same log. The actor is passed in, not read from the request context: django-auditlog
leaves its context variable set after a request ends, so a later caller on the same thread
would inherit a stale actor.
"""

from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from portal.audit_chain import seal_on_commit
from portal.models import User

Action = LogEntry.Action


def record(
    model,
    rows: Iterable[tuple[int, str, dict[str, list]]],
    action: int,
    actor: User | None = None,
) -> int:
    """One log entry per (pk, description, {field: [before, after]}); returns how many.
    ``actor`` None means the system did it (a worker, a scheduled task)."""
    content_type = ContentType.objects.get_for_model(model)
    cid = get_cid()
    entries = [
        LogEntry(
            content_type=content_type,
            object_pk=str(pk),
            object_id=pk,
            object_repr=description,
            action=action,
            changes={field: [_text(a), _text(b)] for field, (a, b) in changes.items()},
            actor=actor,
            actor_email=getattr(actor, "email", None),
            cid=cid,
        )
        for pk, description, changes in rows
    ]
    LogEntry.objects.bulk_create(entries, batch_size=2000)
    seal_on_commit()
    return len(entries)


def _text(value) -> str:
    # How django-auditlog writes values: str(), with None as "None".
    return str(value)


as_text = _text


def insert_from(select_sql: str) -> str:
    """``INSERT INTO`` the log the rows of ``select_sql`` (columns: pk, description, changes as
    jsonb): the entries ``record`` would write, made by the database from rows it already has
    (a worker's batch of thousands). The actor is the system; pass ``insert_params`` too."""
    return (
        f"INSERT INTO {LogEntry._meta.db_table} (content_type_id, object_pk, object_id,"  # noqa: S608  # nosec B608
        " object_repr, action, changes_text, changes, actor_id, actor_email, cid, timestamp)"
        " SELECT %(audit_content_type)s, source.pk::text, source.pk, source.description,"
        " %(audit_action)s, '', source.changes, NULL, NULL, %(audit_cid)s, %(audit_timestamp)s"
        f" FROM ({select_sql}) AS source(pk, description, changes)"
    )


def insert_params(model, action: int) -> dict:
    from django.utils import timezone

    return {
        "audit_content_type": ContentType.objects.get_for_model(model).pk,
        "audit_action": action,
        "audit_cid": get_cid(),
        "audit_timestamp": timezone.now(),
    }
