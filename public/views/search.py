from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from portal.access import public
from portal.paging import CappedPaginator
from public import cache as public_cache
from public.filters import RatingFilterForm, filter_choices
from public.results import published_cycles, search_results

PAGE_SIZE = 20


def search_choices() -> dict:
    return {**filter_choices(), "cycles": published_cycles()}


SEARCH_PARAMETERS = (*RatingFilterForm.base_fields, "page")


@public
@require_safe
def search(request):
    """Published ratings by name fragment, credit code, area, industry, star and cycle.

    Without a chosen cycle each unit's current result is shown, whatever year it was
    published in, so a unit appears once and an older result still in force is found. The
    page's content (form and results) holds nothing per visitor, so a valid query's content is
    rendered once per data version and reused (public/cache.py).
    """
    choices_key = public_cache.key("search-choices", "")
    known = public_cache.canonical_query(request.GET, SEARCH_PARAMETERS)
    content_key = public_cache.key("search", known)
    found = public_cache.get_many([choices_key, content_key])
    choices = found.get(choices_key) or public_cache.store(choices_key, search_choices())
    form = RatingFilterForm(request.GET, choices=choices)
    valid = form.is_valid()

    def content() -> str:
        data = dict(form.cleaned_data) if valid else {}
        data.setdefault("cycle", "")
        ratings = search_results(data)
        page = CappedPaginator(ratings, PAGE_SIZE).get_page(request.GET.get("page"))
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
        return render_to_string("public/_search.html", context, request)

    if not valid:
        html = content()
    else:
        html = found.get(content_key) or public_cache.store(content_key, content())
    return render(request, "public/search.html", {"content": html}, status=200 if valid else 400)
