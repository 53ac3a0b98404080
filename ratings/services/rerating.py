"""Re-rating after rectification (整改后重新评级, docs/decisions/0104).

A unit without a star or with three stars may ask, once per cycle and no sooner than
``RERATING_WAIT_MONTHS`` after its result was published, to be evaluated again on evidence of
rectification. The request is an application of kind "rerating" in the result's cycle; the
bureau accepts it (a numbered receipt, as for an annual application) or refuses it, with
reasons, through the one state machine. An accepted request then takes the ordinary path:
experts (evaluation assignment), grade review, a public-comment window of its own (a batch of
one), the government's confirmation and publication, whose result replaces the rating in
force, tells the departments and ends the old certificate.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Evidence, Kind, Status
from assessments.services.receipts import allocate_receipt_number
from assessments.stars import Star
from assessments.uploads import CheckedFile
from assessments.workflow import advance
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused

from ..models import Publication, PublicityBatch, Rating, Rerating
from . import publication, publicity

ELIGIBLE_STARS = (Star.NONE, Star.THREE)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later (the month's last day if it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def opens_on(rating: Rating) -> datetime.date:
    """The first day the unit may ask: the publication date plus the waiting period."""
    return add_months(rating.published_on, settings.RERATING_WAIT_MONTHS)


def existing_for(rating: Rating) -> Rerating | None:
    """The unit's re-rating request of this rating's cycle, whichever result it was about."""
    return (
        Rerating.objects.select_related("application", "rating")
        .filter(application__unit_id=rating.unit_id, application__cycle_id=rating.cycle_id)
        .first()
    )


@dataclass(frozen=True)
class Availability:
    """Whether the unit may ask now; if not, why, in words, and from when if time will tell."""

    allowed: bool
    reason: str = ""
    opens_on: datetime.date | None = None
    existing: Rerating | None = None


def availability(rating: Rating, today: datetime.date | None = None) -> Availability:
    today = today or timezone.localdate()
    if rating.is_revoked:
        return Availability(False, _("该评定结果已撤销，不能申请重新评级。"))
    if rating.superseded_on is not None:
        return Availability(False, _("该评定结果已被新的评定结果取代，不能再申请重新评级。"))
    if rating.star not in ELIGIBLE_STARS:
        return Availability(
            False,
            _("只有无星级或三星级的单位可以申请整改后重新评级；本结果为%(star)s。")
            % {"star": rating.get_star_display()},
        )
    existing = existing_for(rating)
    if existing is not None:
        return Availability(
            False,
            _(
                "本单位已于 %(date)s 申请过%(cycle)s的重新评级（%(status)s），"
                "每个考核周期只能申请一次。"
            )
            % {
                "date": timezone.localtime(existing.created_at).date().isoformat(),
                "cycle": rating.cycle,
                "status": existing.application.get_status_display(),
            },
            existing=existing,
        )
    first_day = opens_on(rating)
    if today < first_day:
        return Availability(
            False,
            _("结果公布满 %(n)d 个月后方可申请：%(date)s 起可以申请。")
            % {"n": settings.RERATING_WAIT_MONTHS, "date": first_day.isoformat()},
            opens_on=first_day,
        )
    return Availability(True, opens_on=first_day)


def _bureau() -> list[User]:
    return list(User.objects.filter(role=Role.BUREAU, is_active=True))


def _enterprise(application: Application) -> list[User]:
    return list(application.unit.users.filter(role=Role.ENTERPRISE, is_active=True))


def detail_link(rerating: Rerating) -> str:
    return reverse("ratings:rerating_detail", args=[rerating.pk])


def request(*, rating: Rating, actor: User, statement: str, files: list[CheckedFile]) -> Rerating:
    """The enterprise asks for re-rating with its rectification statement and evidence files
    (already checked by ``assessments.uploads.check_upload``: content, size, total)."""
    if actor.role != Role.ENTERPRISE or actor.unit_id != rating.unit_id:
        raise PermissionDenied
    if not statement.strip():
        raise Refused(_("整改情况说明：请写明整改了什么、何时完成。"))
    if not files:
        raise Refused(_("整改证明材料：请至少上传一个文件。"))
    try:
        with transaction.atomic():
            # The rating row serialises two requests for it (a double click, two tabs).
            locked = Rating.objects.select_for_update().select_related("cycle").get(pk=rating.pk)
            allowed = availability(locked)
            if not allowed.allowed:
                raise Refused(allowed.reason)
            application = Application.objects.create(
                cycle=locked.cycle,
                unit_id=locked.unit_id,
                kind=Kind.RERATING,
                self_report=statement,
            )
            for checked in files:
                evidence = Evidence(
                    application=application,
                    original_name=checked.upload.name[:200],
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    uploaded_by=actor,
                )
                evidence.file.save(checked.upload.name, checked.upload, save=False)
                evidence.save()
            rerating = Rerating.objects.create(rating=locked, application=application)

            def stamp(application: Application) -> None:
                application.submitted_at = timezone.now()

            advance(
                application=application,
                actor=actor,
                name="request_rerating",
                reason=_("申请对%(cycle)s%(star)s结果整改后重新评级")
                % {"cycle": locked.cycle, "star": locked.get_star_display()},
                expected_status=Status.DRAFT,
                before_save=stamp,
            )
    except IntegrityError as error:  # the same unit and cycle asked at the same moment
        raise Refused(_("本考核周期已申请过重新评级，每个考核周期只能申请一次。")) from error
    notify(
        _bureau(),
        _("%(unit)s 申请整改后重新评级，待受理") % {"unit": rating.unit.name},
        link=detail_link(rerating),
    )
    return rerating


def decide(
    *, rerating: Rerating, actor: User, accept: bool, reason: str, expected_status: str
) -> Rerating:
    """The bureau accepts (receipt numbered, evaluation follows) or refuses, with reasons the
    enterprise reads on its page; both are transition records of the application."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("受理意见：请写明受理或不予受理的理由，理由将告知申请单位。"))

    def number_receipt(locked: Application) -> None:
        locked.handler = actor
        locked.receipt_number = allocate_receipt_number(locked.cycle_id)
        locked.accepted_at = timezone.now()

    application = advance(
        application=rerating.application_id,
        actor=actor,
        name="accept" if accept else "refuse",
        reason=reason,
        expected_status=expected_status,
        before_save=number_receipt if accept else None,
    )
    if accept:
        subject = _("您的重新评级申请已受理，受理回执编号 %(number)s") % {
            "number": application.receipt_number
        }
    else:
        subject = _("您的重新评级申请不予受理")
    notify(_enterprise(application), subject, reason, detail_link(rerating))
    rerating.application = application
    return rerating


def open_publicity(
    *,
    rerating: Rerating,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor: User,
) -> PublicityBatch:
    """A public-comment window of the re-rating's own: a batch holding this one unit."""
    application = rerating.application
    # Not graded yet, or a second click after it opened: the workflow's Refused says so.
    return publicity.open_batch(
        cycle=application.cycle,
        applications=[application],
        title=_("%(unit)s整改后重新评级结果公示") % {"unit": application.unit.name},
        starts_at=starts_at,
        ends_at=ends_at,
        actor=actor,
    )


def publish(
    *, rerating: Rerating, publish_on: datetime.date, document_number: int, actor: User
) -> Publication:
    """Publish the confirmed re-rating result through the ordinary publication."""
    application = rerating.application
    return publication.create_publication(
        cycle=application.cycle,
        applications=[application],
        publish_on=publish_on,
        document_number=document_number,
        actor=actor,
    )
