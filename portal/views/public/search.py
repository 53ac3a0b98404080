from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.access import public
from portal.public_filters import ALL_CYCLES, RatingFilterForm
from portal.public_ratings import filter_ratings, public_ratings, published_cycles
from units.models import Area, Industry

PAGE_SIZE = 20


@public
@require_safe
def search(request):
    """Published ratings by name fragment, credit code, area, industry, star and cycle.

    Without a chosen cycle the latest published one is shown, so a unit appears once.
    """
    cycles = published_cycles()
    form = RatingFilterForm(request.GET)
    status = 200
    if form.is_valid():
        data = dict(form.cleaned_data)
    else:
        data, status = {}, 400
    if not data.get("cycle"):
        data["cycle"] = cycles[0] if cycles else ALL_CYCLES
    ratings = filter_ratings(public_ratings(), data).order_by("unit__name", "-cycle__year", "pk")
    page = Paginator(ratings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    chosen = data["cycle"]
    return render(
        request,
        "public/search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "cycles": cycles,
            "chosen_cycle": chosen.year if chosen != ALL_CYCLES else ALL_CYCLES,
            "areas": Area.objects.all(),
            "industries": Industry.objects.all(),
            "stars": form.fields["star"].choices[1:],
            "searched": bool(request.GET),
        },
        status=status,
    )
