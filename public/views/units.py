from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_safe

from linkage import archive as linkage_archive
from linkage.models import Tier
from linkage.selectors import public_measures_for, supervision_tier_for
from portal.access import public
from portal.archive import Disclosure
from public.archive import timeline
from public.cache import cached
from public.results import certificate_of, get_unit_page_for, verification_path


@public
@require_safe
@transaction.non_atomic_requests  # it only reads: no BEGIN and COMMIT round trips
def unit_page(request, credit_code):
    """A unit's public record; for insiders also its integrity archive at their level.

    What an anonymous visitor sees depends only on the data, so it is rendered once per data
    version (public/cache.py); signed-in viewers get a page built for their level.
    """
    if request.user.is_authenticated:
        context = _context(request.user, credit_code)
        if context is None:
            raise Http404
        # One pass: the archive is part of the page, so the context processors run once.
        return render(request, "public/unit.html", {"title": context["unit"].name, **context})
    rendered = cached("unit", credit_code.upper(), lambda: _public_content(credit_code))
    if rendered is None:
        raise Http404
    title, content = rendered
    return render(request, "public/unit.html", {"title": title, "content": content})


def _public_content(credit_code: str) -> tuple[str, str] | None:
    context = _context(None, credit_code)
    if context is None:
        return None
    # Rendered without the request: the fragment holds nothing of the visitor (it is shared
    # through the cache), and the context processors then run once, for the page around it.
    return context["unit"].name, render_to_string("public/_unit.html", context)


def _context(user, credit_code: str) -> dict | None:
    try:
        page = get_unit_page_for(user, credit_code)
    except Http404:
        return None
    history = [_history_row(rating) for rating in page.ratings]
    insider = page.level > Disclosure.PUBLIC
    tier = supervision_tier_for(page.unit) if insider else None
    return {
        "unit": page.unit,
        "level": page.level,
        "today": timezone.localdate(),
        "show_score": insider,
        "show_contacts": page.level == Disclosure.FULL,
        "current": history[0] if history and page.current else None,
        "history": history,
        "revocations": [row for row in history if row["rating"].is_revoked],
        "status_changes": linkage_archive.status_changes(page.unit, ratings=page.unit_ratings),
        "measures": public_measures_for(page.current) if page.current else [],
        "reply": page.reply,
        "supervision_tier": Tier(tier).label if tier else None,
        "timeline": timeline(page.unit, user) if insider else [],
    }


def _history_row(rating) -> dict:
    certificate = certificate_of(rating)
    return {
        "rating": rating,
        "certificate": certificate,
        "verify_path": verification_path(certificate) if certificate else "",
    }
