from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal import integrations
from portal.access import public
from portal.archive import Disclosure, timeline
from portal.public_ratings import certificate_of, get_unit_page_for, verification_path


@public
@require_safe
def unit_page(request, credit_code):
    """A unit's public record; for insiders also its integrity archive at their level."""
    page = get_unit_page_for(request.user, credit_code)
    history = [_history_row(rating) for rating in page.ratings]
    insider = page.level > Disclosure.PUBLIC
    return render(
        request,
        "public/unit.html",
        {
            "unit": page.unit,
            "level": page.level,
            "show_score": insider,
            "show_contacts": page.level == Disclosure.FULL,
            "current": history[0] if history else None,
            "history": history,
            "revocations": [row for row in history if row["rating"].is_revoked],
            "status_changes": integrations.public_status_changes(page.unit),
            "supervision_tier": integrations.supervision_tier_for(page.unit) if insider else None,
            "timeline": timeline(page.unit, request.user) if insider else [],
        },
    )


def _history_row(rating) -> dict:
    certificate = certificate_of(rating)
    return {
        "rating": rating,
        "certificate": certificate,
        "verify_path": verification_path(certificate) if certificate else "",
    }
