from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from assessments.stars import Star
from portal.access import public
from public import cache as public_cache
from public.filters import RatingFilterForm, filter_choices
from public.results import certificate_of, ratings_of, search_paginator
from ratings.models import Rating

PAGE_SIZE = 20


SEARCH_PARAMETERS = (*RatingFilterForm.base_fields, "page")


def with_card_parts(ratings: list[Rating]) -> list[Rating]:
    """Each rating with what its result card shows (``card_url``, ``star_badge``,
    ``certificate_status``). The badges are rendered once per kind, not once per card: a
    template include per row was most of the page's cost."""
    today = timezone.localdate()
    stars = {star: render_to_string("public/_star.html", {"star": star}) for star in Star.values}
    statuses = {}
    for rating in ratings:
        certificate = certificate_of(rating)
        rating.card_url = reverse("public:unit", args=[rating.unit.credit_code])
        rating.star_badge = stars[rating.star]
        rating.certificate_status = ""
        if certificate:
            state = certificate.state(today)
            if state not in statuses:
                statuses[state] = render_to_string(
                    "public/_certificate_status.html", {"certificate": certificate}
                )
            rating.certificate_status = statuses[state]
    return ratings


@public
@require_safe
def search(request):
    """Published ratings by name fragment, credit code, area, industry, star and cycle.

    Without a chosen cycle each unit's current result is shown, whatever year it was
    published in, so a unit appears once and an older result still in force is found. The
    page's content (form and results) holds nothing per visitor, so a valid query's content is
    rendered once per data version and reused (public/cache.py).
    """
    choices_key = public_cache.key("filter-choices", "")
    known = public_cache.canonical_query(request.GET, SEARCH_PARAMETERS)
    content_key = public_cache.key("search", known)
    found = public_cache.get_many([choices_key, content_key])
    choices = found.get(choices_key) or public_cache.store(choices_key, filter_choices())
    form = RatingFilterForm(request.GET, choices=choices)
    valid = form.is_valid()

    def content() -> str:
        data = dict(form.cleaned_data) if valid else {}
        data.setdefault("cycle", "")
        page = search_paginator(data, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_card_parts(ratings_of(page.object_list))
        # Links carry only the known parameters: the content is shared by every visitor.
        query = QueryDict(known, mutable=True)
        query.pop("page", None)
        context = {
            **choices,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searched": bool(known),
            "chosen_cycle": data["cycle"],
            "stars": form.fields["star"].choices[1:],
        }
        # No request: the fragment needs no context processor (the page around it runs them).
        return render_to_string("public/_search.html", context)

    if not valid:
        html = content()
    else:
        html = found.get(content_key) or public_cache.store(content_key, content())
    return render(request, "public/search.html", {"content": html}, status=200 if valid else 400)
