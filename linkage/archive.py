"""Supervision's part of a unit's integrity archive, by disclosure level (SPEC §5).

Public: when the unit was listed for key monitoring and when that was lifted. Departments
also see the supervision tier and rectification orders; full viewers see inspections and
hazards too.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.archive import Disclosure, TimelineEntry
from portal.models import Role

from .models import Hazard, Inspection, RectificationOrder, TierRecord
from .selectors import public_status_changes


def status_changes(unit, ratings=None) -> list[TimelineEntry]:
    """What anyone may see: when the unit was listed for key monitoring and when it was lifted
    (``ratings``: as ``public_status_changes`` takes them)."""
    return [
        TimelineEntry(date=day, title=text, kind="supervision_status")
        for day, text in public_status_changes(unit, ratings)
    ]


def entries(unit, level: Disclosure, user) -> list[TimelineEntry]:
    collected = status_changes(unit)
    if level < Disclosure.DEPARTMENT:
        return collected
    for record in TierRecord.objects.filter(unit=unit):
        collected.append(
            TimelineEntry(
                date=record.effective_on,
                title=_("监管类别：%(tier)s") % {"tier": record.get_tier_display()},
                detail=record.get_source_display(),
                kind="supervision_tier",
            )
        )
    for order in RectificationOrder.objects.filter(unit=unit):
        detail = _("整改期限 %(d)s") % {"d": order.deadline}
        if order.outcome:
            detail += _("；结果：%(o)s（%(on)s）") % {
                "o": order.get_outcome_display(),
                "on": order.outcome_on,
            }
        collected.append(
            TimelineEntry(
                date=order.issued_on,
                title=_("限期整改：%(r)s") % {"r": order.get_reason_display()},
                detail=detail,
                kind="rectification",
            )
        )
    if level < Disclosure.FULL:
        return collected
    readers = (Role.BUREAU, Role.TOWNSHIP, Role.SUPERVISOR, Role.GOVERNMENT)
    url = (
        reverse("linkage:supervision_unit", args=[unit.pk])
        if getattr(user, "role", None) in readers
        else ""
    )
    for inspection in Inspection.objects.filter(unit=unit, inspected_on__isnull=False):
        collected.append(
            TimelineEntry(
                date=inspection.inspected_on,
                title=_("督查：%(k)s") % {"k": inspection.get_kind_display()},
                detail=inspection.findings,
                url=url,
                kind="inspection",
            )
        )
    for hazard in Hazard.objects.filter(unit=unit, rectified_on__isnull=False):
        collected.append(
            TimelineEntry(
                date=hazard.rectified_on,
                title=_("隐患整改完成：%(h)s") % {"h": hazard.description},
                url=url,
                kind="hazard",
            )
        )
    return collected
