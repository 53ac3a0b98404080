from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from portal.access import public
from portal.public_cache import cached
from portal.public_filters import ALL_CYCLES, RatingFilterForm
from portal.public_ratings import filter_ratings, public_ratings, published_cycles
from units.models import Area, Industry

PAGE_SIZE = 20


def _choices() -> dict:
    return {
        "cycles": published_cycles(),
        "areas": list(Area.objects.values_list("name", flat=True)),
        "industries": list(Industry.objects.values_list("name", flat=True)),
    }


@public
@require_safe
def search(request):
    """Published ratings by name fragment, credit code, area, industry, star and cycle.

    Without a chosen cycle the latest published one is shown, so a unit appears once.
    """
    choices = cached("search-choices", "", _choices)
    cycles = choices["cycles"]
    form = RatingFilterForm(request.GET)
    status = 200
    if form.is_valid():
        data = dict(form.cleaned_data)
    else:
        data, status = {}, 400
    if not data.get("cycle"):
        data["cycle"] = cycles[0] if cycles else ALL_CYCLES
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "query": query.urlencode(),
        "searched": bool(request.GET),
        "page_number": request.GET.get("page"),
    }

    def results() -> str:
        ratings = filter_ratings(public_ratings(), data)
        ordered = ratings.order_by("unit__name", "-cycle__year", "pk")
        page = Paginator(ordered, PAGE_SIZE).get_page(context["page_number"])
        return render_to_string("public/_results.html", {**context, "page": page}, request)

    # The fragment holds no per-visitor content, so one rendering serves everyone.
    html = results() if status != 200 else cached("search", request.GET.urlencode(), results)
    chosen = data["cycle"]
    return render(
        request,
        "public/search.html",
        {
            **choices,
            "form": form,
            "results": html,
            "chosen_cycle": chosen.year if chosen != ALL_CYCLES else ALL_CYCLES,
            "stars": form.fields["star"].choices[1:],
        },
        status=status,
    )
