"""Reads for linkage views and for other apps (public pages, dashboards, the archive)."""

import datetime
import time

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.stars import Star
from portal.models import Role, User
from portal.prepared import Marker, PreparedRead
from portal.punctuation import joined
from ratings.models import Rating
from units.models import Department, Unit

from .models import (
    Category,
    CreditRepair,
    Hazard,
    Inspection,
    Notice,
    PolicyRule,
    PolicyVersion,
    RectificationOrder,
    Result,
    Tier,
    TierRecord,
    WebhookDelivery,
)

# --- contracts used by other apps ---------------------------------------------------------


def unacknowledged_notice_count(user: User | None = None) -> int:
    """Delivered notices nobody has acknowledged (of the user's department, if given)."""
    notices = Notice.objects.delivered().filter(acknowledged_at__isnull=True)
    if user is not None and user.role == Role.DEPARTMENT:
        notices = notices.filter(department_id=user.department_id)
    return notices.count()


def overdue_hazard_count(user: User | None = None) -> int:
    hazards = Hazard.objects.overdue(timezone.localdate())
    if user is not None and user.role != Role.BUREAU:
        hazards = hazards.filter(unit__in=Unit.objects.visible_to(user))
    return hazards.count()


def supervision_tier_for(unit: Unit) -> str | None:
    """The unit's current tier (a ``Tier`` value) or None before its first rating."""
    return (
        TierRecord.objects.filter(unit=unit)
        .order_by("-effective_on", "-pk")
        .values_list("tier", flat=True)
        .first()
    )


def public_status_changes(unit: Unit, ratings=None) -> list[tuple[datetime.date, str]]:
    """What the public sees of key monitoring: when it was listed and when it was lifted.

    ``ratings``: all the unit's ratings, each with its cycle and credit repair, when the
    caller has read them already (the unit page); otherwise one query reads them.
    """
    if ratings is None:
        ratings = Rating.objects.filter(unit=unit).select_related("cycle", "credit_repair")
    changes: list[tuple[datetime.date, str]] = []
    for rating in ratings:
        if rating.star == Star.NONE:
            changes.append(
                (
                    rating.published_on,
                    _("%(cycle)s 未评定星级，列为事故隐患重点监控单位") % {"cycle": rating.cycle},
                )
            )
        repair = _credit_repair(rating)
        if repair is not None:
            changes.append(
                (
                    repair.lifted_on,
                    _("通过整改验收，解除重点监控（信用修复）：%(r)s") % {"r": repair.reason},
                )
            )
    return sorted(changes, key=lambda change: change[0], reverse=True)


def _credit_repair(rating: Rating) -> CreditRepair | None:
    try:
        return rating.credit_repair
    except CreditRepair.DoesNotExist:
        return None


def _rules_of_current_version(result: str):
    current = PolicyVersion.objects.newest_first().values("pk")[:1]
    return (
        PolicyRule.objects.filter(version=Subquery(current), result=result)
        .select_related("department")
        .only("category", "basis_document", "basis_article", "department__short_name")
        .order_by("department__order")
    )


# The public unit page reads it on every request: compiled once (portal/prepared.py).
_current_rules = PreparedRead(_rules_of_current_version, result=Marker.text("result"))

# Every unit with the same result shows the same rules: each process keeps them for a second,
# as the public pages keep their data version (issue #15). A new version clears them in the
# process that wrote it (services/policy.py); the others show it within the second.
RULES_KEPT_SECONDS = 1.0
_kept_rules: dict[str, tuple[float, list[PolicyRule]]] = {}


def current_rules(result: str) -> list[PolicyRule]:
    now = time.monotonic()
    kept = _kept_rules.get(result)
    if kept is None or now - kept[0] >= RULES_KEPT_SECONDS:
        kept = _kept_rules[result] = (now, _current_rules(result=result))
    return kept[1]


def forget_rules() -> None:
    _kept_rules.clear()


def public_measures_for(rating: Rating) -> list[dict]:
    """The joint measures that apply to a published result, by category, for the public page:
    which departments apply each kind and the documents they rest on (SPEC §8). One query
    (two if the caller did not read the rating's credit repair)."""
    from .services.outbox import result_for

    if rating.is_revoked:
        return []
    result = result_for(rating)
    if result == Result.NONE and _credit_repair(rating) is not None:
        result = Result.LIFTED
    groups: dict[str, dict] = {}
    for rule in current_rules(result):
        group = groups.get(rule.category)
        if group is None:
            label = Category(rule.category).label
            group = groups[rule.category] = {"category": label, "departments": [], "bases": []}
        group["departments"].append(rule.department.short_name)
        if rule.basis not in group["bases"]:
            group["bases"].append(rule.basis)
    order = list(Category.values)
    return [
        {
            "category": groups[key]["category"],
            "departments": joined("、", groups[key]["departments"]),
            "bases": joined("；", groups[key]["bases"]),
        }
        for key in sorted(groups, key=order.index)
    ]


# --- department inbox ---------------------------------------------------------------------


def inbox_for(user: User):
    return (
        Notice.objects.for_department(user.department_id)
        .select_related("unit__area", "rating__cycle", "policy_version")
        .annotate(measure_count=Count("measures_taken"))
        .order_by("-created_at", "-pk")
    )


def get_notice_for(user: User, pk: int) -> Notice:
    """A notice of the user's own department (any other is a 404); the bureau sees all."""
    notices = Notice.objects.select_related("unit__area", "rating__cycle", "department")
    if user.role == Role.DEPARTMENT:
        notices = notices.for_department(user.department_id)
    elif user.role != Role.BUREAU:
        notices = notices.none()
    try:
        return notices.get(pk=pk)
    except Notice.DoesNotExist as error:
        raise Http404 from error


# --- bureau -------------------------------------------------------------------------------


def department_overview():
    """Per linked department: notices written, delivered, acknowledged, acted on, failed."""
    return (
        Department.objects.filter(is_linked=True)
        .select_related("link")
        .annotate(
            written=Count("notices", distinct=True),
            delivered=Count(
                "notices", filter=Q(notices__delivered_at__isnull=False), distinct=True
            ),
            acknowledged=Count(
                "notices", filter=Q(notices__acknowledged_at__isnull=False), distinct=True
            ),
            acted=Count("notices", filter=Q(notices__measures_taken__isnull=False), distinct=True),
            failed=Count(
                "notices",
                filter=Q(notices__webhook__status=WebhookDelivery.Status.FAILED),
                distinct=True,
            ),
        )
        .order_by("order")
    )


def get_department(pk: int) -> Department:
    try:
        return Department.objects.select_related("link").get(pk=pk, is_linked=True)
    except Department.DoesNotExist as error:
        raise Http404 from error


def webhook_deliveries(status: str | None = None):
    deliveries = WebhookDelivery.objects.select_related(
        "notice__department", "notice__unit"
    ).order_by("-created_at", "-pk")
    return deliveries.filter(status=status) if status else deliveries


def get_delivery(pk: int) -> WebhookDelivery:
    try:
        return webhook_deliveries().get(pk=pk)
    except WebhookDelivery.DoesNotExist as error:
        raise Http404 from error


# --- supervision --------------------------------------------------------------------------


def current_tier_subquery():
    return Subquery(
        TierRecord.objects.filter(unit=OuterRef("pk"))
        .order_by("-effective_on", "-pk")
        .values("tier")[:1]
    )


def supervised_units(user: User, tier: str | None = None):
    units = (
        Unit.objects.visible_to(user)
        .select_related("area", "industry")
        .annotate(
            tier=current_tier_subquery(),
            open_hazards=Count("hazards", filter=Q(hazards__rectified_on__isnull=True)),
        )
        .filter(tier__isnull=False)
        .order_by("name", "pk")
    )
    return units.filter(tier=tier) if tier else units


def units_due_for_inspection(today: datetime.date | None = None) -> list[Unit]:
    """Units whose tier's interval has passed since their last planned inspection."""
    from .services.supervision import INTERVAL_DAYS

    today = today or timezone.localdate()
    last = Subquery(
        Inspection.objects.filter(unit=OuterRef("pk"))
        .order_by("-planned_on")
        .values("planned_on")[:1]
    )
    units = Unit.objects.annotate(tier=current_tier_subquery(), last_planned=last).filter(
        tier__isnull=False
    )
    return [
        unit
        for unit in units.select_related("area").order_by("tier", "name")
        if unit.last_planned is None
        or (today - unit.last_planned).days >= INTERVAL_DAYS[Tier(unit.tier)]
    ]


def supervision_of(unit: Unit) -> dict:
    return {
        "tier": supervision_tier_for(unit),
        "tier_records": TierRecord.objects.filter(unit=unit).select_related("rating__cycle"),
        "inspections": Inspection.objects.filter(unit=unit).prefetch_related("hazards"),
        "orders": RectificationOrder.objects.filter(unit=unit).select_related("rating__cycle"),
        "repairs": CreditRepair.objects.filter(unit=unit),
    }


def get_inspection_for(user: User, pk: int) -> Inspection:
    try:
        return Inspection.objects.select_related("unit").get(
            pk=pk, unit__in=Unit.objects.visible_to(user)
        )
    except Inspection.DoesNotExist as error:
        raise Http404 from error


def get_hazard_for(user: User, pk: int) -> Hazard:
    try:
        return Hazard.objects.select_related("unit").get(
            pk=pk, unit__in=Unit.objects.visible_to(user)
        )
    except Hazard.DoesNotExist as error:
        raise Http404 from error


def get_order(pk: int) -> RectificationOrder:
    try:
        return RectificationOrder.objects.select_related("unit").get(pk=pk)
    except RectificationOrder.DoesNotExist as error:
        raise Http404 from error


def orders_due(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return RectificationOrder.objects.filter(outcome="", deadline__lte=today).select_related("unit")
