"""Reads behind the query API: one unit's current rating as a department's system sees it."""

from django.utils import timezone

from ratings.models import Certificate
from ratings.selectors import published_reply
from units.models import Department, Unit

from .models import CreditRepair, PolicyRule, PolicyVersion, Result, Tier
from .selectors import supervision_tier_for
from .services.outbox import result_for
from .services.supervision import current_rating


def unit_rating_payload(unit: Unit, department: Department) -> dict:
    rating = current_rating(unit)
    result = result_for(rating) if rating else None
    listing = getattr(rating, "listing", None) if result == Result.NONE else None
    # Lifted: repaired (信用修复), or the listing's longest public display is over.
    lifted = result == Result.NONE and (
        (listing is not None and not listing.is_displayed(timezone.localdate()))
        or CreditRepair.objects.filter(rating=rating).exists()
    )
    policy_result = Result.LIFTED if lifted else result
    version = PolicyVersion.objects.current()
    measures = (
        [
            {
                "department": rule.department.short_name,
                "measure": rule.measure,
                "category": rule.category,
                "basis": {"document": rule.basis_document, "article": rule.basis_article},
            }
            for rule in PolicyRule.objects.filter(version=version, result=policy_result)
            .select_related("department")
            .order_by("department__order")
        ]
        if policy_result
        else []
    )
    tier = supervision_tier_for(unit)
    return {
        "unit": {
            "name": unit.name,
            "credit_code": unit.credit_code,
            "area": unit.area.name,
            "industry": unit.industry.name,
        },
        "result": policy_result,
        "stars": rating.star if rating else None,
        "rating": _rating(rating),
        "key_monitoring": result == Result.NONE and not lifted,
        "listing": _listing(listing),
        "certificate": _certificate(rating),
        "supervision_tier": {"code": tier, "label": str(Tier(tier).label)} if tier else None,
        "measures": measures,
        "measure_for_requester": next(
            (m["measure"] for m in measures if m["department"] == department.short_name), None
        ),
        "policy_version": version.number if version else None,
    }


def _rating(rating) -> dict | None:
    if rating is None:
        return None
    return {
        "cycle": rating.cycle.year,
        "label": str(rating.get_star_display()),
        "comprehensive_score": str(rating.comprehensive_score),
        "has_veto": rating.has_veto,
        "published_on": rating.published_on.isoformat(),
        "enterprise_reply": _reply(rating),
    }


def _reply(rating) -> str | None:
    """The enterprise's published reply, its own words (ratings decision 0101)."""
    reply = published_reply(rating)
    return reply.published_text if reply else None


def _listing(listing) -> dict | None:
    if listing is None:
        return None
    return {
        "listed_on": listing.listed_on.isoformat(),
        "severity": listing.severity,
        "repair_from": listing.repair_from.isoformat(),
        "display_ends_on": listing.display_ends_on.isoformat(),
        "repaired_on": listing.repaired_on.isoformat() if listing.repaired_on else None,
    }


def _certificate(rating) -> dict | None:
    if rating is None:
        return None
    try:
        certificate = rating.certificate
    except Certificate.DoesNotExist:
        return None
    return {
        "number": certificate.number,
        "status": certificate.state(timezone.localdate()),
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
    }
