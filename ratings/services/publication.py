"""Publication (公布) on the date the bureau sets, and revocation (撤销) with a public reason.

Ratings are created and ``ratings_published`` / ``ratings_revoked`` are sent inside the same
transaction as the state change, so linkage's outbox rows commit or roll back with them (who
receives them, and why ratings does not call them itself: ratings/signals.py).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Status
from assessments.workflow import advance, advance_all
from portal import audit
from portal.models import User
from portal.refusals import Refused

from ..models import Certificate, Publication, Rating
from ..signals import ratings_published, ratings_revoked


def create_publication(
    *,
    cycle,
    applications: list[Application],
    publish_on: datetime.date,
    document_number: int,
    actor: User,
) -> Publication:
    """Schedule confirmed results for ``publish_on``; publish at once when that is today."""
    today = timezone.localdate()
    if publish_on < today:
        raise Refused(_("公布日期不能早于今天。"))
    if not applications:
        raise Refused(_("请至少选择一个已确认的结果。"))
    if Publication.objects.filter(cycle=cycle, document_number=document_number).exists():
        raise Refused(_("通报文号 %(n)s 已被使用。") % {"n": document_number})
    with transaction.atomic():
        scheduled = set(
            Application.objects.filter(
                pk__in=[application.pk for application in applications],
                publications__in=Publication.objects.filter(published_at__isnull=True),
            ).values_list("unit__name", flat=True)
        )
        if scheduled:
            raise Refused(_("以下单位已安排公布：") + "、".join(sorted(scheduled)))
        for application in applications:
            if application.status != Status.CONFIRMED or application.cycle_id != cycle.pk:
                raise Refused(
                    _("%(unit)s 的结果尚未经市政府确认。") % {"unit": application.unit.name}
                )
        publication = Publication.objects.create(
            cycle=cycle, publish_on=publish_on, document_number=document_number, created_by=actor
        )
        publication.applications.set(applications)
        if publish_on <= today:
            publish(publication)
            publication.refresh_from_db()
    return publication


def validity_end(cycle, issued_on: datetime.date) -> datetime.date:
    """At most one year plus the cycle's comment period after issue (docs/decisions/0033)."""
    try:
        one_year = issued_on.replace(year=issued_on.year + 1)
    except ValueError:  # 29 February
        one_year = issued_on.replace(year=issued_on.year + 1, day=28)
    comment_days = (cycle.comment_end - cycle.comment_start).days + 1
    return one_year + datetime.timedelta(days=comment_days)


def publish(publication: Publication) -> list[Rating]:
    """Publish a due publication: one immutable Rating per application, signal in-transaction.

    Set-based, whatever its size (a city publishes a thousand results at once): every
    application takes the ``publish`` transition through ``advance_all`` (locks, checks,
    transition records, audit entries), the ratings are inserted together and logged as
    created, and the signal carries them all to linkage's outbox in the same transaction.
    """
    with transaction.atomic():
        locked = (
            Publication.objects.select_for_update().select_related("cycle").get(pk=publication.pk)
        )
        if locked.is_published:
            return list(locked.ratings.all())
        if locked.publish_on > timezone.localdate():
            raise Refused(_("尚未到公布日期。"))
        applications = advance_all(
            applications=locked.applications.values_list("pk", flat=True),
            actor=locked.created_by,
            name="publish",
            reason=locked.document_label,
            expected_status=Status.CONFIRMED,
        )
        ratings = Rating.objects.bulk_create(
            [
                Rating(
                    application=application,
                    publication=locked,
                    unit=application.unit,
                    cycle=locked.cycle,
                    star=application.star,
                    comprehensive_score=application.comprehensive_score,
                    has_veto=application.has_veto,
                    published_on=locked.publish_on,
                    published_by=locked.created_by,
                )
                for application in applications
            ],
            batch_size=2000,
        )
        audit.record(
            Rating,
            [(rating.pk, str(rating), _created(rating)) for rating in ratings],
            audit.Action.CREATE,
            locked.created_by,
        )
        # The new result replaces the unit's certificate from an earlier cycle from today on.
        Certificate.objects.filter(
            rating__unit__in=[rating.unit_id for rating in ratings],
            rating__cycle__year__lt=locked.cycle.year,
            superseded_on__isnull=True,
        ).update(superseded_on=locked.publish_on)
        # A re-rating result replaces the re-rated result's certificate the same way.
        Certificate.objects.filter(
            rating__rerating__application__in=[rating.application_id for rating in ratings],
            superseded_on__isnull=True,
        ).update(superseded_on=locked.publish_on)
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_at"])
        ratings_published.send(sender=Rating, ratings=ratings)
    return ratings


def _created(rating: Rating) -> dict[str, tuple]:
    """What django-auditlog would log for a created rating: each value, from None."""
    return {
        field.name: (None, getattr(rating, field.attname))
        for field in Rating._meta.concrete_fields
        if field.name not in ("id", "created_at")
    }


def publish_due(today: datetime.date | None = None) -> int:
    """Publish every scheduled publication whose date has come (Celery beat, hourly)."""
    today = today or timezone.localdate()
    count = 0
    for publication in Publication.objects.filter(published_at__isnull=True, publish_on__lte=today):
        publish(publication)
        count += 1
    return count


def revoke(*, rating: Rating, reason: str, actor: User) -> Rating:
    """Revoke a published rating with a public reason; its certificate shows revoked at once."""
    if not reason.strip():
        raise Refused(_("撤销必须说明理由，理由将向社会公开。"))
    with transaction.atomic():
        locked = Rating.objects.select_for_update().get(pk=rating.pk)
        if locked.is_revoked:
            raise Refused(_("该评级结果已撤销。"))
        advance(
            application=locked.application_id,
            actor=actor,
            name="revoke",
            reason=reason,
            expected_status=Status.PUBLISHED,
        )
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revocation_reason = reason
        locked.save(update_fields=sorted(Rating.REVOCATION_FIELDS))
        ratings_revoked.send(sender=Rating, ratings=[locked], reason=reason)
    return locked
