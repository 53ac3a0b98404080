"""The benchmark's reference: a bare view rendering a small template (see bench_public.py).

Mounted only when BENCHMARK_BARE_VIEW=1 (portal/urls_public.py); never in a normal server.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404, render

from portal.access import public
from units.models import Unit


@public
def bare(request):
    return render(request, "public/bench_bare.html", {"title": "bare", "items": range(5)})


@public
@transaction.non_atomic_requests  # it only reads: no BEGIN and COMMIT round trips
def one_query(request):
    """One primary-key query and the same small template: the limit of a page that reads."""
    unit = get_object_or_404(Unit.objects.only("name"), pk=request.GET.get("pk") or 0)
    return render(request, "public/bench_bare.html", {"title": unit.name, "items": range(5)})
