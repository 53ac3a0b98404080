from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.models import Cycle
from assessments.selectors import service_rating_months
from portal.access import public, roles
from portal.models import Role
from public import charts
from public.stats import (
    STARS,
    bureau_figures,
    stars_by_area,
    stars_by_cycle,
    stars_by_industry,
    stats_cycles,
)


def star_names() -> list[tuple[int, str]]:
    names = {5: _("五星级"), 4: _("四星级"), 3: _("三星级"), 0: _("无星级")}
    return [(int(star), names[int(star)]) for star in STARS]


def _chosen_cycle(request, cycles: list[Cycle]) -> Cycle | None:
    wanted = request.GET.get("cycle", "")
    for cycle in cycles:
        if str(cycle.year) == wanted:
            return cycle
    return cycles[-1] if cycles else None


def _chart(rows, title: str, chart_id: str) -> dict:
    return {
        "id": chart_id,
        "title": title,
        "rows": rows,
        "svg": charts.stacked_bars(
            [(row.label, row.cells()) for row in rows],
            star_names(),
            title=title,
            chart_id=chart_id,
        ),
    }


@public
@require_safe
def public_stats(request):
    """Star distribution per cycle, per area and per industry, and the trend across cycles."""
    cycles = stats_cycles()
    cycle = _chosen_cycle(request, cycles)
    by_cycle = stars_by_cycle(cycles)
    context = {
        "cycles": cycles,
        "cycle": cycle,
        "stars": star_names(),
        "sections": [],
        "service_months": service_rating_months(),
    }
    if cycle is not None:
        context["sections"] = [
            _chart(by_cycle, _("各年度星级分布"), "by-cycle"),
            _chart(stars_by_area(cycle), _("%(c)s各乡镇街道星级分布") % {"c": cycle}, "by-area"),
            _chart(
                stars_by_industry(cycle),
                _("%(c)s各行业星级分布") % {"c": cycle},
                "by-industry",
            ),
        ]
        context["trend"] = {
            "rows": by_cycle,
            "svg": charts.line_chart(
                [row.label for row in by_cycle],
                [
                    (key, name, [row.shares()[index] for row in by_cycle])
                    for index, (key, name) in enumerate(star_names())
                ],
                title=_("历年各星级占比趋势"),
                chart_id="trend",
            ),
        }
    return render(request, "stats/public.html", context)


@roles(Role.BUREAU)
@require_safe
def bureau_stats(request):
    """The bureau's working figures for a cycle (the open one by default)."""
    cycles = list(Cycle.objects.order_by("-year"))
    wanted = request.GET.get("cycle", "")
    cycle = next((c for c in cycles if str(c.year) == wanted), None)
    cycle = cycle or Cycle.objects.current() or (cycles[0] if cycles else None)
    context = {"cycles": cycles, "cycle": cycle}
    if cycle is not None:
        figures = bureau_figures(cycle)
        context["figures"] = figures
        context["status_chart"] = charts.bars(
            [(str(label), n) for label, n in figures.by_status],
            title=_("%(c)s各状态申报数") % {"c": cycle},
            chart_id="by-status",
        )
    return render(request, "stats/bureau.html", context)
