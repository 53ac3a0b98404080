"""Reads of 好差评: an enterprise's own ratings, the bureau's tickets, monthly figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import TruncMonth
from django.http import Http404

from .models import POOR, ServiceRating


def ratings_of_unit(user):
    return ServiceRating.objects.filter(unit_id=user.unit_id).order_by("score", "-finished_on")


def get_rating_for_enterprise(user, pk: int) -> ServiceRating:
    """The enterprise's own offered rating, or 404 (another unit's transaction is not found)."""
    try:
        return ServiceRating.objects.get(pk=pk, unit_id=user.unit_id)
    except ServiceRating.DoesNotExist as error:
        raise Http404 from error


def get_ticket(pk: int) -> ServiceRating:
    try:
        return ServiceRating.objects.tickets().select_related("unit").get(pk=pk)
    except ServiceRating.DoesNotExist as error:
        raise Http404 from error


def tickets():
    """Open tickets first, the earliest due first; answered ones after."""
    return (
        ServiceRating.objects.tickets()
        .select_related("unit")
        .order_by(F("answered_at").asc(nulls_first=True), "due_on", "pk")
    )


@dataclass
class MonthFigures:
    month: object
    rated: int
    average: float | None
    good: int
    poor: int
    answered_on_time: int

    @property
    def good_share(self) -> int:
        return round(100 * self.good / self.rated) if self.rated else 0


def monthly_figures(limit: int = 12) -> list[MonthFigures]:
    """Per month of rating, newest first: how many, the mean, good (4–5) and poor (1–2)
    ratings, and poor ones answered within their time limit."""
    rows = (
        ServiceRating.objects.rated()
        .annotate(month=TruncMonth("rated_on"))
        .values("month")
        .annotate(
            rated=Count("pk"),
            average=Avg("score"),
            good=Count("pk", filter=Q(score__gte=4)),
            poor=Count("pk", filter=Q(score__lte=POOR)),
            on_time=Count("pk", filter=Q(score__lte=POOR, answered_on__lte=F("due_on"))),
        )
        .order_by("-month")[:limit]
    )
    return [
        MonthFigures(
            month=row["month"],
            rated=row["rated"],
            average=round(float(row["average"]), 2) if row["average"] is not None else None,
            good=row["good"],
            poor=row["poor"],
            answered_on_time=row["on_time"],
        )
        for row in rows
    ]
