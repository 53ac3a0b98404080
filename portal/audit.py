"""Audit entries for writes that send no model signals.

django-auditlog records save() and delete() of the registered models by itself (settings'
AUDITLOG_INCLUDE_TRACKING_MODELS and the apps' ready()). bulk_create, bulk_update and
QuerySet.update() send no signals, so the services that use them for speed (an expert's score
sheet, a delivery batch, a department acknowledging notices) record here what they changed, in
the same log. The actor is passed in, not read from the request context: django-auditlog
leaves its context variable set after a request ends, so a later caller on the same thread
would inherit a stale actor.
"""

import json
from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

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
    ``actor`` None means the system did it (a worker, a scheduled task). The entries are made
    by the database from three arrays: a publication writes ten thousand, and building them
    as LogEntry objects cost more than inserting them (docs/decisions/0117)."""
    pks, descriptions, changes = [], [], []
    for pk, description, fields in rows:
        pks.append(pk)
        descriptions.append(description)
        changes.append(
            json.dumps({field: [_text(a), _text(b)] for field, (a, b) in fields.items()})
        )
    if not pks:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            insert_from(_ARRAYS_SQL),
            {
                "pks": pks,
                "descriptions": descriptions,
                "changes": changes,
                **insert_params(model, action, actor),
            },
        )
    seal_on_commit()
    return len(pks)


_ARRAYS_SQL = (
    "SELECT * FROM unnest(%(pks)s::bigint[], %(descriptions)s::text[], %(changes)s::jsonb[])"
)


def _text(value) -> str:
    # How django-auditlog writes values: str(), with None as "None".
    return str(value)


as_text = _text


def insert_from(select_sql: str) -> str:
    """``INSERT INTO`` the log the rows of ``select_sql`` (columns: pk, description, changes as
    jsonb): the entries ``record`` would write, made by the database from rows it already has
    (a worker's batch of thousands). Pass ``insert_params`` too."""
    return (
        f"INSERT INTO {LogEntry._meta.db_table} (content_type_id, object_pk, object_id,"  # noqa: S608  # nosec B608
        " object_repr, action, changes_text, changes, actor_id, actor_email, cid, timestamp)"
        " SELECT %(audit_content_type)s, source.pk::text, source.pk, source.description,"
        " %(audit_action)s, '', source.changes, %(audit_actor)s, %(audit_actor_email)s,"
        " %(audit_cid)s, %(audit_timestamp)s"
        f" FROM ({select_sql}) AS source(pk, description, changes)"
    )


def insert_params(model, action: int, actor: User | None = None) -> dict:
    """The values ``insert_from`` shares by every entry; ``actor`` None is the system."""
    return {
        "audit_content_type": ContentType.objects.get_for_model(model).pk,
        "audit_action": action,
        "audit_actor": getattr(actor, "pk", None),
        "audit_actor_email": getattr(actor, "email", None),
        "audit_cid": get_cid(),
        "audit_timestamp": timezone.now(),
    }
