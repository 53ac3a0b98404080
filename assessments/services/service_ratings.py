"""Writes of 好差评: offer a rating when a service finishes, rate it once, answer a ticket.

Other stages call ``offer_service_rating(unit, kind, obj)`` in the transaction that finishes the
service (a receipt numbered, a certificate issued, an objection or repair decided).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models.service_ratings import (
    POOR,
    TICKET_WORKING_DAYS,
    ServiceRating,
    TransactionKind,
)
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused
from portal.working_days import add_working_days

__all__ = [
    "TransactionKind",
    "answer_ticket",
    "offer_service_rating",
    "offer_service_ratings",
    "rate",
]


def offer_service_rating(*, unit, kind: str, obj, reference: str = "") -> ServiceRating:
    """Offer the unit a rating of this finished transaction (once: a second offer is the first)."""
    rating, created = ServiceRating.objects.get_or_create(
        kind=kind,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        defaults={
            "unit": unit,
            "reference": reference[:200],
            "finished_on": timezone.localdate(),
        },
    )
    if created:
        notify(
            User.objects.filter(role=Role.ENTERPRISE, unit=unit),
            _("请评价本次服务：%(t)s") % {"t": rating.title},
            _("您的评价（1–5 分）帮助我们改进服务；1–2 分的评价由监管局在15个工作日内答复。"),
            reverse("feedback:mine"),
        )
    return rating


def offer_service_ratings(*, kind: str, rows: list[tuple[object, object, str]]) -> None:
    """Bulk ``offer_service_rating`` for many finished transactions of one kind, rows of
    (unit, object, reference): a publication's certificates are offered in a few queries."""
    if not rows:
        return
    today = timezone.localdate()
    content_type = ContentType.objects.get_for_model(rows[0][1])
    ServiceRating.objects.bulk_create(
        (
            ServiceRating(
                unit=unit,
                kind=kind,
                content_type=content_type,
                object_id=obj.pk,
                reference=reference[:200],
                finished_on=today,
            )
            for unit, obj, reference in rows
        ),
        batch_size=2000,
        ignore_conflicts=True,
    )
    notify(
        User.objects.filter(role=Role.ENTERPRISE, unit__in=[unit for unit, _obj, _t in rows]),
        _("请评价本次服务：%(kind)s") % {"kind": TransactionKind(kind).label},
        _("您的评价（1–5 分）帮助我们改进服务；1–2 分的评价由监管局在15个工作日内答复。"),
        reverse("feedback:mine"),
    )


def rate(*, rating: ServiceRating, score: int, comment: str, actor: User) -> ServiceRating:
    if actor.role != Role.ENTERPRISE or actor.unit_id != rating.unit_id:
        raise Refused(_("只能评价本单位办理的事项。"))
    if not 1 <= score <= 5:
        raise Refused(_("评价应为 1 至 5 分。"))
    today = timezone.localdate()
    with transaction.atomic():
        locked = ServiceRating.objects.select_for_update().get(pk=rating.pk)
        if locked.is_rated:
            raise Refused(_("该事项已评价，每个事项只能评价一次。"))
        locked.score, locked.comment = score, comment
        locked.rated_by, locked.rated_on = actor, today
        if score <= POOR:
            locked.due_on = add_working_days(today, TICKET_WORKING_DAYS)
            notify(
                User.objects.filter(role=Role.BUREAU),
                _("差评工单：%(unit)s 评价“%(t)s”%(s)d 分")
                % {"unit": locked.unit, "t": locked.title, "s": score},
                _("请于 %(d)s 前答复。") % {"d": locked.due_on},
                reverse("feedback:tickets"),
            )
        locked.save()
    return locked


def answer_ticket(*, rating: ServiceRating, answer: str, actor: User) -> ServiceRating:
    if actor.role != Role.BUREAU:
        raise Refused(_("只有市安全生产监管局可以答复差评工单。"))
    if not answer.strip():
        raise Refused(_("请填写答复内容。"))
    with transaction.atomic():
        locked = ServiceRating.objects.select_for_update().get(pk=rating.pk)
        if not locked.is_ticket:
            raise Refused(_("只有1–2分的评价需要答复。"))
        if locked.is_answered:
            raise Refused(_("该工单已答复。"))
        locked.answer, locked.answered_by = answer, actor
        locked.answered_at, locked.answered_on = timezone.now(), timezone.localdate()
        locked.save()
        notify(
            User.objects.filter(role=Role.ENTERPRISE, unit_id=locked.unit_id),
            _("监管局已答复您的评价：%(t)s") % {"t": locked.title},
            answer,
            reverse("feedback:mine"),
        )
    return locked
