"""Published ratings made directly, for tests, the demo and the benchmark.

Linkage must not depend on the ratings app's publishing services; this builds what they would
leave behind (a published application and its rating) and sends the same signal, inside one
transaction, exactly as publication does.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from assessments.models import Application, Cycle, ScoringStandard
from assessments.models.applications import Status
from ratings.models import Rating
from ratings.signals import ratings_published

SCORE_FOR_STAR = {5: Decimal("96.0"), 4: Decimal("88.5"), 3: Decimal("78.0"), 0: Decimal("62.0")}


def past_cycle(year: int) -> Cycle:
    cycle, _created = Cycle.objects.get_or_create(
        year=year,
        defaults={
            "name": f"{year}年度",
            "standard": ScoringStandard.objects.order_by("created_at").first(),
            "phase": Cycle.Phase.CLOSED,
            "is_open": False,
            "pledge_deadline": datetime.date(year, 3, 31),
            "application_deadline": datetime.date(year, 9, 30),
            "comment_start": datetime.date(year, 11, 1),
            "comment_end": datetime.date(year, 11, 10),
        },
    )
    return cycle


def publish(
    stars_by_unit: Iterable[tuple[object, int]],
    cycle: Cycle,
    publisher,
    published_on: datetime.date | None = None,
    *,
    send: bool = True,
) -> list[Rating]:
    """Publish one rating per (unit, star) and send ``ratings_published`` in the transaction."""
    published_on = published_on or datetime.date(cycle.year, 12, 20)
    pairs = list(stars_by_unit)
    with transaction.atomic():
        applications = Application.objects.bulk_create(
            [
                Application(
                    cycle=cycle,
                    unit=unit,
                    status=Status.PUBLISHED,
                    preliminary_score=SCORE_FOR_STAR[star],
                    comprehensive_score=SCORE_FOR_STAR[star],
                    has_veto=False,
                    star=star,
                )
                for unit, star in pairs
            ],
            batch_size=2000,
        )
        ratings = Rating.objects.bulk_create(
            [
                Rating(
                    application=application,
                    unit=unit,
                    cycle=cycle,
                    star=star,
                    comprehensive_score=SCORE_FOR_STAR[star],
                    published_on=published_on,
                    published_by=publisher,
                )
                for application, (unit, star) in zip(applications, pairs, strict=True)
            ],
            batch_size=2000,
        )
        if send:
            ratings_published.send(sender=None, ratings=ratings)
    return ratings
