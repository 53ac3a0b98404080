import os

from django.urls import path, re_path

from public.views import search, units

app_name = "public"

urlpatterns = [
    path("", search.search, name="search"),
    re_path(r"^units/(?P<credit_code>[0-9A-Za-z]{18})/$", units.unit_page, name="unit"),
]

# Benchmark only (scripts/bench_public.py): the bare reference view is mounted only when asked.
if os.environ.get("BENCHMARK_BARE_VIEW") == "1":
    from public.views import bench

    urlpatterns += [
        path("bench/bare/", bench.bare, name="bench_bare"),
        path("bench/one-query/", bench.one_query, name="bench_one_query"),
    ]
