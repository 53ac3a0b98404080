"""The key-monitoring list's periods and credit repair (信用修复).

Listing: when a no-star result is published, its reasons (veto items found by the experts, or a
score below 75) give the listing its shortest and longest public display, from the reference
data (``DisplayPeriod``); the longest reason wins. Repair: the enterprise applies with evidence
once the shortest period has passed; the bureau decides within ``DECISION_WORKING_DAYS``; a
granted repair ends the public display that day and ``key_monitoring_lifted`` tells linkage,
which notifies every department that restricted the unit (the outbox, same day).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import VetoFinding
from assessments.services.service_ratings import TransactionKind, offer_service_rating
from assessments.stars import Star
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused
from portal.working_days import add_working_days

from ..models import DisplayPeriod, Listing, Rating, RepairRequest, Severity
from ..signals import key_monitoring_lifted
from .rerating import add_months

DECISION_WORKING_DAYS = 10

# Defaults of the 信用修复管理办法 (in force 2026-04-01): general 3–12 months, serious 12–36.
# Serious: a fatal accident (V1), a concealed accident (V3), false materials (V4).
GENERAL, SERIOUS = (3, 12), (12, 36)
DEFAULT_PERIODS = {
    DisplayPeriod.SCORE: ("综合考评得分低于75分", Severity.GENERAL, GENERAL),
    "V1": ("考核周期内发生生产安全责任死亡事故", Severity.SERIOUS, SERIOUS),
    "V2": ("考核周期内因非法、违法生产经营行为受到行政处罚", Severity.GENERAL, GENERAL),
    "V3": ("迟报、漏报、谎报或者瞒报生产安全事故", Severity.SERIOUS, SERIOUS),
    "V4": ("申报材料弄虚作假", Severity.SERIOUS, SERIOUS),
    "V5": ("重大事故隐患未按期整改到位", Severity.GENERAL, GENERAL),
    "V6": ("未依法取得安全生产行政许可从事生产经营活动", Severity.GENERAL, GENERAL),
}


def load_default_periods(apps) -> None:
    """Reference rows for the defaults (a data migration and the tests call this)."""
    model = apps.get_model("ratings", "DisplayPeriod")
    for reason, (name, severity, (shortest, longest)) in DEFAULT_PERIODS.items():
        model.objects.get_or_create(
            reason=reason,
            defaults={
                "name": name,
                "severity": severity,
                "shortest_months": shortest,
                "longest_months": longest,
            },
        )


def _periods() -> dict[str, DisplayPeriod]:
    rows = {row.reason: row for row in DisplayPeriod.objects.all()}
    for reason, (name, severity, (shortest, longest)) in DEFAULT_PERIODS.items():
        rows.setdefault(
            reason,
            DisplayPeriod(
                reason=reason,
                name=name,
                severity=severity,
                shortest_months=shortest,
                longest_months=longest,
            ),
        )
    return rows


def _reasons_by_application(ratings: list[Rating]) -> dict[int, list[tuple[str, str]]]:
    """{application id: [(veto code, veto text)]} found by the signed evaluations."""
    found: dict[int, list[tuple[str, str]]] = {}
    rows = (
        VetoFinding.objects.filter(
            assignment__application_id__in=[rating.application_id for rating in ratings],
            assignment__signed_off_at__isnull=False,
        )
        .values_list("assignment__application_id", "veto_item__code", "veto_item__text")
        .order_by("veto_item__order")
        .distinct()
    )
    for application_id, code, text in rows:
        if (code, text) not in found.setdefault(application_id, []):
            found[application_id].append((code, text))
    return found


def list_key_monitoring_units(sender=None, ratings=(), **kwargs) -> list[Listing]:
    """Receiver of ``ratings_published``: a listing with fixed dates for each no-star result;
    a result that replaces one of the same cycle (a re-rating) ends the old one's listing."""
    ratings = list(ratings)
    _end_replaced_listings(ratings)
    ratings = [rating for rating in ratings if rating.star == Star.NONE]
    if not ratings:
        return []
    periods = _periods()
    general = periods[DisplayPeriod.SCORE]
    found = _reasons_by_application(ratings)
    listings = []
    for rating in ratings:
        reasons = [
            (periods.get(code) or _unknown_veto(code, text, general), text)
            for code, text in found.get(rating.application_id, [])
        ]
        if not reasons or rating.comprehensive_score < 75:
            reasons.append((general, general.name))
        shortest = max(period.shortest_months for period, _text in reasons)
        longest = max(period.longest_months for period, _text in reasons)
        serious = any(period.severity == Severity.SERIOUS for period, _text in reasons)
        ends = add_months(rating.published_on, longest)
        listings.append(
            Listing(
                rating=rating,
                unit_id=rating.unit_id,
                severity=Severity.SERIOUS if serious else Severity.GENERAL,
                reasons=[
                    {"reason": period.reason, "name": text, "severity": period.severity}
                    for period, text in reasons
                ],
                listed_on=rating.published_on,
                repair_from=add_months(rating.published_on, shortest),
                longest_ends_on=ends,
                display_ends_on=ends,
            )
        )
    return Listing.objects.bulk_create(listings, batch_size=2000, ignore_conflicts=True)


def _end_replaced_listings(ratings: list[Rating]) -> None:
    published_on = {(r.unit_id, r.cycle_id): (r.pk, r.published_on) for r in ratings}
    replaced = Listing.objects.filter(
        unit_id__in={r.unit_id for r in ratings}, rating__cycle_id__in={r.cycle_id for r in ratings}
    ).values_list("pk", "unit_id", "rating_id", "rating__cycle_id", "display_ends_on")
    for pk, unit_id, rating_id, cycle_id, ends in replaced:
        new_pk, day = published_on.get((unit_id, cycle_id), (rating_id, ends))
        if new_pk != rating_id and day < ends:
            Listing.objects.filter(pk=pk).update(display_ends_on=day)


def _unknown_veto(code: str, text: str, general: DisplayPeriod) -> DisplayPeriod:
    # A veto item added to a later standard without its own row counts as general.
    return DisplayPeriod(
        reason=code,
        name=text,
        severity=general.severity,
        shortest_months=general.shortest_months,
        longest_months=general.longest_months,
    )


def update_period(*, period: DisplayPeriod, shortest: int, longest: int, severity: str) -> None:
    """The bureau edits a reason's periods; listings already made keep the dates they were
    told (a period changes the lists made after it)."""
    if shortest > longest:
        raise Refused(_("最短公示期不能长于最长公示期。"))
    period.shortest_months, period.longest_months, period.severity = shortest, longest, severity
    period.save()


# --- repair --------------------------------------------------------------------------------


def repair_closed_reason(listing: Listing, today: datetime.date) -> str:
    """Why the enterprise cannot apply today, in words for the button; "" when it can."""
    if listing.repaired_on is not None:
        return _("已于 %(d)s 准予信用修复，停止公示。") % {"d": listing.repaired_on}
    if not listing.is_displayed(today):
        return _("最长公示期已于 %(d)s 届满，已停止公示，无需申请修复。") % {
            "d": listing.longest_ends_on
        }
    if today < listing.repair_from:
        return _("最短公示期未满：列入日期 %(listed)s，可于 %(d)s 起申请信用修复。") % {
            "listed": listing.listed_on,
            "d": listing.repair_from,
        }
    if listing.repair_requests.filter(status=RepairRequest.Status.PENDING).exists():
        return _("已提交信用修复申请，正在等待监管局决定。")
    return ""


def apply_for_repair(
    *, listing: Listing, statement: str, evidence, evidence_type: str, actor: User
) -> RepairRequest:
    if actor.role != Role.ENTERPRISE or actor.unit_id != listing.unit_id:
        raise Refused(_("只有本单位可以申请信用修复。"))
    if not statement.strip():
        raise Refused(_("请说明整改情况。"))
    today = timezone.localdate()
    with transaction.atomic():
        locked = Listing.objects.select_for_update().get(pk=listing.pk)
        closed = repair_closed_reason(locked, today)
        if closed:
            raise Refused(closed)
        request = RepairRequest.objects.create(
            listing=locked,
            unit_id=locked.unit_id,
            statement=statement,
            evidence=evidence,
            evidence_name=evidence.name[:200],
            evidence_type=evidence_type,
            applied_by=actor,
            applied_on=today,
            due_on=add_working_days(today, DECISION_WORKING_DAYS),
        )
        notify(
            User.objects.filter(role=Role.BUREAU),
            _("%(unit)s 申请信用修复") % {"unit": locked.unit},
            _("请于 %(d)s 前作出决定。") % {"d": request.due_on},
            reverse("ratings:repair_detail", args=[request.pk]),
        )
    return request


def decide_repair(
    *, request: RepairRequest, grant: bool, reason: str, actor: User
) -> RepairRequest:
    """Grant (public display stops today, departments told today) or refuse, with reasons."""
    if actor.role != Role.BUREAU:
        raise Refused(_("只有市安全生产监管局可以决定信用修复。"))
    if not reason.strip():
        raise Refused(_("请写明决定理由。"))
    today = timezone.localdate()
    with transaction.atomic():
        locked = (
            RepairRequest.objects.select_for_update()
            .select_related("listing__rating", "unit")
            .get(pk=request.pk)
        )
        if not locked.is_pending:
            raise Refused(_("该申请已作出决定，不能重复决定。"))
        locked.status = RepairRequest.Status.GRANTED if grant else RepairRequest.Status.REFUSED
        locked.decision_reason, locked.decided_by, locked.decided_on = reason, actor, today
        locked.save()
        if grant:
            end_listing(rating=locked.listing.rating, reason=reason, actor=actor)
        notify(
            locked.unit.users.filter(role=Role.ENTERPRISE),
            _("信用修复申请已准予，已停止公示") if grant else _("信用修复申请未予准许"),
            reason,
            reverse("ratings:repair_mine"),
        )
        _offer_rating(locked)
    return locked


def end_listing(*, rating: Rating, reason: str, actor: User) -> None:
    """The no-star result leaves the public list today — a repair granted here, or the bureau
    lifting key monitoring after a passed rectification check (linkage) — and
    ``key_monitoring_lifted`` tells linkage (notices) and the public cache, in the transaction."""
    today = timezone.localdate()
    listing = Listing.objects.select_for_update().filter(rating=rating).first()
    if listing is not None:
        listing.repaired_on = today
        listing.display_ends_on = min(listing.display_ends_on, today)
        listing.save(update_fields=["repaired_on", "display_ends_on"])
    key_monitoring_lifted.send(sender=Listing, rating=rating, reason=reason, actor=actor)


def _offer_rating(request: RepairRequest) -> None:
    offer_service_rating(
        unit=request.unit,
        kind=TransactionKind.REPAIR_DECISION,
        obj=request,
        reference=f"{request.listing.rating.cycle} · {request.get_status_display()}",
    )
