"""Selectors for statistics: public star distributions and the bureau's working figures.

Public figures count ratings in force (a revoked rating no longer stands for its unit).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Application, Assignment, Cycle, Status
from assessments.stars import Star
from linkage import selectors as linkage_selectors
from public.results import published_cycles
from ratings import selectors as ratings_selectors
from ratings.models import Rating
from units.models import Area, Industry

# Display order: best first, then no star.
STARS = (Star.FIVE, Star.FOUR, Star.THREE, Star.NONE)

# Overdue work (bureau dashboard): how long a step may wait before it counts as overdue.
ACCEPTANCE_DAYS = 7  # a submitted application awaits acceptance or return
EVALUATION_DAYS = 30  # an expert assignment awaits the signed evaluation


@dataclass
class StarRow:
    label: str
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, star: int) -> int:
        return self.counts.get(star, 0)

    def cells(self) -> list[int]:
        return [self.count(star) for star in STARS]

    def shares(self) -> list[float]:
        """Percentages per star, for the trend chart (display only, never a score)."""
        total = self.total
        return [round(100 * self.count(star) / total, 1) if total else 0.0 for star in STARS]


def stats_cycles() -> list[Cycle]:
    """Cycles with published ratings, oldest first (the order of a trend)."""
    return list(reversed(published_cycles()))


def stars_by_cycle(cycles: list[Cycle]) -> list[StarRow]:
    counts = (
        Rating.objects.in_force()
        .final()
        .values("cycle_id", "star")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = {cycle.pk: StarRow(str(cycle)) for cycle in cycles}
    for item in counts:
        if item["cycle_id"] in rows:
            rows[item["cycle_id"]].counts[item["star"]] = item["n"]
    return list(rows.values())


def _stars_by(cycle: Cycle, key: str, labels: list[tuple[int, str]]) -> list[StarRow]:
    counts = (
        Rating.objects.in_force()
        .final()
        .filter(cycle=cycle)
        .values(key, "star")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = {pk: StarRow(label) for pk, label in labels}
    for item in counts:
        rows.setdefault(item[key], StarRow("—")).counts[item["star"]] = item["n"]
    return list(rows.values())


def stars_by_area(cycle: Cycle) -> list[StarRow]:
    return _stars_by(cycle, "unit__area_id", list(Area.objects.values_list("pk", "name")))


def stars_by_industry(cycle: Cycle) -> list[StarRow]:
    return _stars_by(cycle, "unit__industry_id", list(Industry.objects.values_list("pk", "name")))


@dataclass
class BureauFigures:
    cycle: Cycle | None
    by_status: list[tuple[str, int]]
    awaiting_acceptance: int
    awaiting_evaluation: int
    gap_flagged: int
    veto_missed_flagged: int
    comments_pending: int | None
    notices_unacknowledged: int | None
    hazards_overdue: int | None

    @property
    def overdue_total(self) -> int:
        return self.awaiting_acceptance + self.awaiting_evaluation


def bureau_figures(cycle: Cycle | None, now: datetime.datetime | None = None) -> BureauFigures:
    now = now or timezone.now()
    applications = Application.objects.filter(cycle=cycle)
    counts = dict(applications.values_list("status").annotate(n=Count("id")).order_by())
    flags = applications.aggregate(
        gap=Count("id", filter=Q(gap_flagged=True)),
        veto=Count("id", filter=Q(veto_missed_flagged=True)),
        waiting=Count(
            "id",
            filter=Q(
                status=Status.SUBMITTED,
                submitted_at__lt=now - datetime.timedelta(days=ACCEPTANCE_DAYS),
            ),
        ),
    )
    late_evaluations = Assignment.objects.filter(
        application__cycle=cycle,
        application__status=Status.UNDER_EVALUATION,
        signed_off_at__isnull=True,
        assigned_at__lt=now - datetime.timedelta(days=EVALUATION_DAYS),
    ).count()
    return BureauFigures(
        cycle=cycle,
        by_status=[(label, counts.get(value, 0)) for value, label in Status.choices],
        awaiting_acceptance=flags["waiting"],
        awaiting_evaluation=late_evaluations,
        gap_flagged=flags["gap"],
        veto_missed_flagged=flags["veto"],
        comments_pending=ratings_selectors.pending_comment_count(),
        notices_unacknowledged=linkage_selectors.unacknowledged_notice_count(),
        hazards_overdue=linkage_selectors.overdue_hazard_count(),
    )
