"""Published ratings for the public-portal tests, written directly (not through the workflow,
which other tests cover): a cycle, a published application, its rating and certificate."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import Application, Cycle, ScoringStandard, Status
from assessments.stars import star_for
from portal.models import Role, User
from public.cache import bump
from ratings.models import Certificate, Rating
from ratings.services.certificates import certificate_number, new_verification_code


def make_cycle(year: int) -> Cycle:
    cycle, _created = Cycle.objects.get_or_create(
        year=year,
        defaults={
            "name": f"{year}年度",
            "standard": ScoringStandard.objects.order_by("pk").first(),
            "is_open": False,
            "phase": Cycle.Phase.CLOSED,
            "pledge_deadline": datetime.date(year, 3, 31),
            "application_deadline": datetime.date(year, 6, 30),
            "comment_start": datetime.date(year, 10, 1),
            "comment_end": datetime.date(year, 10, 15),
        },
    )
    return cycle


def publisher() -> User:
    user = User.objects.filter(role=Role.BUREAU).order_by("pk").first()
    return user or User.objects.create(username="publisher", role=Role.BUREAU)


def publish(
    unit,
    year: int,
    score: str,
    *,
    veto: bool = False,
    revoked_reason: str = "",
    published_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> Rating:
    cycle = make_cycle(year)
    score = Decimal(score)
    star = star_for(score, veto)
    status = Status.REVOKED if revoked_reason else Status.PUBLISHED
    application = Application.objects.create(
        cycle=cycle,
        unit=unit,
        status=status,
        comprehensive_score=score,
        has_veto=veto,
        star=star,
    )
    published_on = published_on or datetime.date(year, 11, 20)
    rating = Rating.objects.create(
        application=application,
        unit=unit,
        cycle=cycle,
        star=star,
        comprehensive_score=score,
        has_veto=veto,
        published_on=published_on,
        published_by=publisher(),
        revoked_at=timezone.now() if revoked_reason else None,
        revoked_by=publisher() if revoked_reason else None,
        revocation_reason=revoked_reason,
    )
    if star:
        Certificate.objects.create(
            rating=rating,
            number=certificate_number(year, rating.pk),
            verification_code=new_verification_code(),
            issued_on=published_on,
            valid_until=valid_until or datetime.date(year + 1, 12, 31),
        )
    # Written without the publication signals: tell the public pages' cache as they would.
    bump()
    return rating
