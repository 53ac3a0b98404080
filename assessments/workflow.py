"""The only way an application changes state.

``advance`` locks the row, checks that the transition is allowed from the current state and
that this actor may take it on this object, applies it, and appends a transition record, all
in one transaction. A double click or a stale form finds the state already changed and gets
``Refused`` with a message the user can read; nothing is applied twice.
Side effects (notifications, PDFs, notices) are queued by the caller with ``on_commit``.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from assessments.models import Application, ApplicationTransition
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
        method = getattr(locked, name, None)
        if method is None or not hasattr(method, "_django_fsm"):
            raise ValueError(f"unknown transition {name!r}")
        source = locked.status
        if expected_status is not None and source != expected_status:
            raise Refused(
                _("该申报的状态已变为“%(status)s”，本次操作未执行，请刷新页面后查看。")
                % {"status": locked.get_status_display()}
            )
        if not can_proceed(method, check_conditions=False):
            raise Refused(
                _("当前状态“%(status)s”下不能执行此操作。")
                % {"status": locked.get_status_display()}
            )
        if not has_transition_perm(method, actor):
            if can_proceed(method):
                raise PermissionDenied
            raise Refused(_("条件未满足，不能执行此操作。"))
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
