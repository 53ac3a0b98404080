"""The benchmark's reference: a bare view rendering a small template (see bench_public.py).

Mounted only when BENCHMARK_BARE_VIEW=1 (portal/urls_public.py); never in a normal server.
"""

from django.shortcuts import render

from portal.access import public


@public
def bare(request):
    return render(request, "public/bench_bare.html", {"title": "bare", "items": range(5)})
