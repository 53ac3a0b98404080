"""The only way an application changes state.

``advance`` locks the row, checks that the transition is allowed from the current state and
that this actor may take it on this object, applies it, and appends a transition record, all
in one transaction. A double click or a stale form finds the state already changed and gets
``Refused`` with a message the user can read; nothing is applied twice.
Side effects (notifications, PDFs, notices) are queued by the caller with ``on_commit``.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from assessments.models import Application, ApplicationTransition
from portal import audit
from portal.refusals import Refused


def advance(
    *,
    application: Application | int,
    actor,
    name: str,
    reason: str = "",
    reason_codes: list[str] | None = None,
    expected_status: str | None = None,
    before_save: Callable[[Application], None] | None = None,
) -> Application:
    """Apply transition ``name`` and return the locked, saved application.

    ``expected_status`` is the state the user saw: when the row has moved on since, the request
    is stale (a second click, another tab, a colleague) and is refused rather than re-applied.
    ``before_save`` may set fields that belong with the transition (scores, receipt number).
    """
    pk = application.pk if isinstance(application, Application) else application
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("cycle", "unit").get(pk=pk)
        source = locked.status
        method = _allowed(locked, actor, name, expected_status)
        method()
        if before_save is not None:
            before_save(locked)
        locked.save()
        ApplicationTransition.objects.create(
            application=locked,
            name=name,
            source=source,
            target=locked.status,
            actor=actor,
            reason=reason,
            reason_codes=reason_codes or [],
        )
    return locked


def _allowed(locked: Application, actor, name: str, expected_status: str | None):
    """The transition method, once this actor may take it on this row now; else refuse."""
    method = getattr(locked, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise ValueError(f"unknown transition {name!r}")
    if expected_status is not None and locked.status != expected_status:
        raise Refused(
            _("该申报的状态已变为“%(status)s”，本次操作未执行，请刷新页面后查看。")
            % {"status": locked.get_status_display()}
        )
    if not can_proceed(method, check_conditions=False):
        raise Refused(
            _("当前状态“%(status)s”下不能执行此操作。") % {"status": locked.get_status_display()}
        )
    if not has_transition_perm(method, actor):
        if can_proceed(method):
            raise PermissionDenied
        raise Refused(_("条件未满足，不能执行此操作。"))
    return method


# Columns a transition never writes: the row's identity and its creation.
_FIXED = {"id", "cycle_id", "unit_id", "created_at"}


def advance_all(
    *,
    applications: Iterable[Application | int],
    actor,
    name: str,
    reason: str = "",
    expected_status: str | None = None,
    before_save: Callable[[Application], None] | None = None,
) -> list[Application]:
    """``advance`` for many applications taken together by one actor (a publication of a
    thousand results): the same row locks, the same checks on every row, the same transition
    records and audit entries, written set-based. One refused row refuses them all.

    Returns the saved applications in primary-key order.
    """
    pks = sorted({a.pk if isinstance(a, Application) else a for a in applications})
    with transaction.atomic():
        locked = list(
            Application.objects.select_for_update()
            .select_related("cycle", "unit")
            .filter(pk__in=pks)
            .order_by("pk")
        )
        if len(locked) != len(pks):
            raise Application.DoesNotExist(f"applications {pks} not all found")
        columns = [f.attname for f in Application._meta.concrete_fields if f.attname not in _FIXED]
        now = timezone.now()
        records, entries, written = [], [], {"updated_at"}
        for application in locked:
            before = {column: getattr(application, column) for column in columns}
            source = application.status
            _allowed(application, actor, name, expected_status)()
            if before_save is not None:
                before_save(application)
            application.updated_at = now
            changes = {
                column: (before[column], getattr(application, column))
                for column in columns
                if getattr(application, column) != before[column]
            }
            written.update(changes)
            records.append(
                ApplicationTransition(
                    application=application,
                    name=name,
                    source=source,
                    target=application.status,
                    actor=actor,
                    reason=reason,
                )
            )
            entries.append((application.pk, str(application), changes))
        _update_alike(locked, sorted(written))
        ApplicationTransition.objects.bulk_create(records, batch_size=2000)
        audit.record(Application, entries, audit.Action.UPDATE, actor)
    return locked


def _update_alike(applications: list[Application], columns: list[str]) -> None:
    """Write ``columns`` of the applications: one UPDATE per set of values they share (a
    publication's thousand rows share their status and time). ``bulk_update`` wrote one CASE
    arm per row and column, and PostgreSQL tried each arm for each row: a third of publishing
    10,000 results (docs/decisions/0117)."""
    groups: dict[str, tuple[dict, list[int]]] = {}
    for application in applications:
        values = {column: getattr(application, column) for column in columns}
        groups.setdefault(repr(values), (values, []))[1].append(application.pk)
    for values, pks in groups.values():
        Application.objects.filter(pk__in=pks).update(**values)
