"""Classified supervision: tiers from ratings, inspections and hazards, rectification orders,
and lifting key monitoring (信用修复)."""

import datetime
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.stars import Star
from portal.models import Role, User
from portal.notifications import notify
from ratings.models import Rating
from ratings.services.repair import end_listing

from ..models import (
    CreditRepair,
    Hazard,
    HazardReminder,
    Inspection,
    RectificationOrder,
    Tier,
    TierRecord,
)
from .outbox import write_lift_notices

ORDER_DAYS = 90
KIND_FOR_TIER = {
    Tier.SELF_MANAGEMENT: Inspection.Kind.IRREGULAR,
    Tier.TRACKING: Inspection.Kind.REGULAR,
    Tier.KEY: Inspection.Kind.KEY,
}
# How often each tier is due for an inspection (SPEC §4: irregular, regular, key supervision).
INTERVAL_DAYS = {Tier.SELF_MANAGEMENT: 365, Tier.TRACKING: 90, Tier.KEY: 30}
TWO_YEARS_REQUIREMENTS = (
    "该单位连续两年未评定星级，责令限期整改：全面排查治理事故隐患，健全安全生产责任制和管理制度，"
    "整改完成后申请验收；整改期间存在严重违法行为的，依法予以处罚或责令停产停业整顿。"
)


def tier_for_star(star: int) -> str:
    if star in (Star.FOUR, Star.FIVE):
        return Tier.SELF_MANAGEMENT
    if star == Star.THREE:
        return Tier.TRACKING
    return Tier.KEY


def set_tiers_from_ratings(ratings: list[Rating]) -> None:
    TierRecord.objects.bulk_create(
        (
            TierRecord(
                unit_id=rating.unit_id,
                tier=tier_for_star(rating.star),
                source=TierRecord.Source.RATING,
                rating=rating,
                effective_on=rating.published_on,
            )
            for rating in ratings
        ),
        batch_size=2000,
    )


def set_tiers_after_revocation(ratings: list[Rating]) -> None:
    # A revoked rating leaves the unit without a valid star: key supervision until re-rated.
    today = timezone.localdate()
    TierRecord.objects.bulk_create(
        TierRecord(
            unit_id=rating.unit_id,
            tier=Tier.KEY,
            source=TierRecord.Source.REVOCATION,
            rating=rating,
            effective_on=today,
        )
        for rating in ratings
    )


def _township_and_bureau(unit) -> list[User]:
    return list(
        User.objects.filter(role=Role.TOWNSHIP, area_id=unit.area_id)
        | User.objects.filter(role=Role.BUREAU)
    )


def detect_two_years_without_star(ratings: list[Rating] | None = None) -> list[RectificationOrder]:
    """Order rectification for units whose rating and the previous year's are both no-star."""
    candidates = Rating.objects.in_force().filter(star=Star.NONE).select_related("cycle", "unit")
    if ratings is not None:
        candidates = candidates.filter(pk__in=[r.pk for r in ratings if r.star == Star.NONE])
    candidates = list(candidates)
    if not candidates:
        return []
    previous = {
        (unit_id, year)
        for unit_id, year in Rating.objects.in_force()
        .final()  # a year whose no-star result was replaced by its re-rating does not count
        .filter(star=Star.NONE, unit_id__in=[r.unit_id for r in candidates])
        .values_list("unit_id", "cycle__year")
    }
    orders = []
    for rating in candidates:
        if (rating.unit_id, rating.cycle.year - 1) not in previous:
            continue
        order, created = RectificationOrder.objects.get_or_create(
            rating=rating,
            reason=RectificationOrder.Reason.TWO_YEARS,
            defaults={
                "unit": rating.unit,
                "requirements": TWO_YEARS_REQUIREMENTS,
                "issued_on": rating.published_on,
                "deadline": rating.published_on + timedelta(days=ORDER_DAYS),
            },
        )
        if created:
            orders.append(order)
            notify(
                _township_and_bureau(rating.unit),
                _("%(unit)s 连续两年无星级，已下达限期整改指令") % {"unit": rating.unit},
                _("整改期限：%(d)s") % {"d": order.deadline},
                reverse("linkage:supervision_unit", args=[rating.unit_id]),
            )
    return orders


def issue_order(*, unit, actor: User, requirements: str, deadline: datetime.date):
    """A rectification order the bureau issues to a key-monitoring unit."""
    rating = current_rating(unit)
    if rating is None or rating.star != Star.NONE:
        raise ValidationError(_("只能对当前无星级的重点监控单位下达限期整改指令。"))
    today = timezone.localdate()
    if deadline <= today:
        raise ValidationError({"deadline": _("整改期限应晚于今天。")})
    order, created = RectificationOrder.objects.get_or_create(
        rating=rating,
        reason=RectificationOrder.Reason.KEY_MONITORING,
        defaults={
            "unit": unit,
            "requirements": requirements,
            "issued_on": today,
            "deadline": deadline,
        },
    )
    if not created:
        raise ValidationError(_("该单位本年度已有限期整改指令，请在原指令上记录结果。"))
    return order


def record_order_outcome(*, order, actor: User, outcome: str, note: str, on: datetime.date) -> None:
    with transaction.atomic():
        locked = RectificationOrder.objects.select_for_update().get(pk=order.pk)
        if locked.outcome:
            raise ValidationError(_("该整改指令已记录结果。"))
        locked.outcome, locked.outcome_note, locked.outcome_on = outcome, note, on
        locked.decided_by = actor
        locked.save()


def current_rating(unit) -> Rating | None:
    return (
        Rating.objects.in_force()
        .filter(unit=unit)
        .order_by("-cycle__year", "-published_on")
        .first()
    )


def lift_key_monitoring(*, unit, actor: User, reason: str) -> CreditRepair:
    """信用修复 by the bureau: allowed once the unit's rectification passed its acceptance check.
    The listing's public display ends today, as for a granted repair request."""
    with transaction.atomic():
        rating = current_rating(unit)
        if rating is None or rating.star != Star.NONE:
            raise ValidationError(_("该单位当前不是无星级重点监控单位。"))
        if CreditRepair.objects.filter(rating=rating).exists():
            raise ValidationError(_("该单位的重点监控状态已解除。"))
        order = (
            RectificationOrder.objects.filter(
                unit=unit,
                outcome=RectificationOrder.Outcome.PASSED,
                outcome_on__gte=rating.published_on,
            )
            .order_by("-outcome_on")
            .first()
        )
        if order is None:
            raise ValidationError(_("该单位尚未通过整改验收，不能解除重点监控。"))
        repair = record_lift(rating=rating, actor=actor, reason=reason, order=order)
        end_listing(rating=rating, reason=reason, actor=actor)
    return repair


def lift_after_repair(*, rating: Rating, actor: User, reason: str) -> None:
    """A repair the enterprise applied for and the bureau granted (ratings.RepairRequest)."""
    if not CreditRepair.objects.filter(rating=rating).exists():
        record_lift(rating=rating, actor=actor, reason=reason)


def record_lift(*, rating: Rating, actor: User, reason: str, order=None) -> CreditRepair:
    """Key monitoring lifted today: the record, the tier, and a notice to every department
    that restricted the unit (through the outbox, queued on commit)."""
    today = timezone.localdate()
    repair = CreditRepair.objects.create(
        unit_id=rating.unit_id,
        rating=rating,
        order=order,
        reason=reason,
        lifted_on=today,
        lifted_by=actor,
    )
    TierRecord.objects.create(
        unit_id=rating.unit_id,
        tier=Tier.TRACKING,
        source=TierRecord.Source.LIFT,
        rating=rating,
        effective_on=today,
    )
    write_lift_notices(rating=rating, reason=reason)
    return repair


@dataclass
class HazardInput:
    description: str
    severity: str
    deadline: datetime.date


def plan_inspections(*, units, actor: User, planned_on: datetime.date, tiers: dict) -> int:
    """Plan one inspection per unit, its kind following the unit's tier."""
    rows = [
        Inspection(
            unit=unit,
            kind=KIND_FOR_TIER[tiers[unit.pk]],
            planned_on=planned_on,
            planned_by=actor,
        )
        for unit in units
        if tiers.get(unit.pk)
    ]
    Inspection.objects.bulk_create(rows)
    return len(rows)


def record_inspection(
    *,
    inspection: Inspection,
    inspected_on: datetime.date,
    inspector: str,
    findings: str,
    hazards: list[HazardInput],
) -> None:
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.is_done:
            raise ValidationError(_("该督查已记录，不能重复记录。"))
        locked.inspected_on, locked.inspector, locked.findings = inspected_on, inspector, findings
        locked.save()
        Hazard.objects.bulk_create(
            Hazard(
                inspection=locked,
                unit_id=locked.unit_id,
                description=hazard.description,
                severity=hazard.severity,
                deadline=hazard.deadline,
            )
            for hazard in hazards
        )


def mark_rectified(*, hazard: Hazard, actor: User, on: datetime.date) -> None:
    Hazard.objects.filter(pk=hazard.pk, rectified_on__isnull=True).update(
        rectified_on=on, rectified_by=actor
    )


def send_hazard_reminders(today: datetime.date | None = None) -> int:
    """Overdue hazards: remind the unit's township and the bureau, once per hazard per day."""
    today = today or timezone.localdate()
    sent = 0
    overdue = Hazard.objects.overdue(today).select_related("unit")
    for hazard in overdue.exclude(reminders__sent_on=today):
        with transaction.atomic():
            _reminder, created = HazardReminder.objects.get_or_create(hazard=hazard, sent_on=today)
            if not created:
                continue
            notify(
                _township_and_bureau(hazard.unit),
                _("隐患整改逾期：%(unit)s") % {"unit": hazard.unit},
                _("%(hazard)s（整改期限 %(deadline)s）")
                % {"hazard": hazard.description, "deadline": hazard.deadline},
                reverse("linkage:supervision_unit", args=[hazard.unit_id]),
            )
            sent += 1
    return sent
