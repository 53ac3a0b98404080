"""The enterprise's reply beside its rating: submit, decide (bureau), withdraw.

Publication needs the bureau's decision first (decision 0101): the public page of a
government body shows nothing unreviewed, and a reply may name people or make claims the
bureau must not relay. The bureau answers within REPLY_DECISION_WORKING_DAYS working days;
shortening and refusal carry a reason the enterprise reads and the audit log keeps.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused
from portal.working_days import add_working_days

from ..models import Rating, RatingReply
from ..models.replies import REPLY_DECISION_WORKING_DAYS, clean_reply_text, is_cut_from
from ..signals import reply_published, reply_withdrawn

PUBLISH, SHORTEN, REFUSE = "publish", "shorten", "refuse"


def can_reply_to(rating: Rating) -> bool:
    """A reply stands beside the unit's current result only (the next result hides it)."""
    return rating.superseded_on is None


def submit(*, user: User, rating: Rating, text: str) -> RatingReply:
    if user.role != Role.ENTERPRISE or user.unit_id != rating.unit_id:
        raise Refused(_("只有本单位可以对本单位的评级结果发表回应。"))
    text = clean_reply_text(text)
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating.pk)
        if not can_reply_to(rating):
            raise Refused(_("该评级结果已被新的结果取代，不能再发表回应。"))
        if rating.replies.filter(
            status__in=[RatingReply.Status.SUBMITTED, RatingReply.Status.PUBLISHED]
        ).exists():
            raise Refused(_("已有待审核或已公开的回应；如需修改，请先撤回。"))
        reply = RatingReply.objects.create(
            rating=rating,
            text=text,
            submitted_by=user,
            decide_by=add_working_days(timezone.localdate(), REPLY_DECISION_WORKING_DAYS),
        )
        notify(
            User.objects.filter(role=Role.BUREAU),
            _("%(unit)s 提交了对评级结果的回应，待审核") % {"unit": rating.unit.name},
            _("请于 %(date)s 前审核。") % {"date": reply.decide_by.isoformat()},
            reverse("ratings:reply_decide", args=[reply.pk]),
        )
    return reply


def decide(
    *, actor: User, reply: RatingReply, action: str, reason: str = "", shortened_text: str = ""
) -> RatingReply:
    """Publish as written, publish shortened (words cut, none added), or refuse."""
    if actor.role != Role.BUREAU:
        raise Refused(_("只有市安全生产监管局可以审核企业回应。"))
    reason = (reason or "").strip()
    if action in (SHORTEN, REFUSE) and not reason:
        raise ValidationError({"reason": _("删节或不予公开须写明理由，理由将告知企业。")})
    with transaction.atomic():
        reply = (
            RatingReply.objects.select_for_update().select_related("rating__unit").get(pk=reply.pk)
        )
        if reply.status != RatingReply.Status.SUBMITTED:
            raise Refused(
                _("该回应已处理（%(status)s）。") % {"status": reply.get_status_display()}
            )
        if action == PUBLISH:
            reply.status, reply.published_text = RatingReply.Status.PUBLISHED, reply.text
        elif action == SHORTEN:
            try:
                shortened_text = clean_reply_text(shortened_text)
            except ValidationError as error:
                raise ValidationError({"shortened_text": error.messages}) from error
            if len(shortened_text) >= len(reply.text) or not is_cut_from(
                shortened_text, reply.text
            ):
                raise ValidationError(
                    {"shortened_text": _("删节只能删去原文中的文字，不能改写或添加。")}
                )
            reply.status, reply.published_text = RatingReply.Status.PUBLISHED, shortened_text
            reply.shortened = True
        elif action == REFUSE:
            reply.status = RatingReply.Status.REFUSED
        else:
            raise ValidationError({"action": _("请选择审核结果。")})
        reply.decision_reason = reason
        reply.decided_by, reply.decided_at = actor, timezone.now()
        reply.save()
        _tell_enterprise(reply)
        if reply.status == RatingReply.Status.PUBLISHED:
            reply_published.send(sender=RatingReply, reply=reply)
    return reply


def withdraw(*, user: User, reply: RatingReply) -> RatingReply:
    """The enterprise takes its reply back, waiting or published; the public page follows."""
    with transaction.atomic():
        reply = RatingReply.objects.select_for_update().select_related("rating").get(pk=reply.pk)
        if user.role != Role.ENTERPRISE or user.unit_id != reply.rating.unit_id:
            raise Refused(_("只有本单位可以撤回本单位的回应。"))
        if not reply.is_open:
            raise Refused(
                _("该回应已处理（%(status)s）。") % {"status": reply.get_status_display()}
            )
        was_public = reply.status == RatingReply.Status.PUBLISHED
        reply.status, reply.withdrawn_at = RatingReply.Status.WITHDRAWN, timezone.now()
        reply.save()
        if was_public:
            reply_withdrawn.send(sender=RatingReply, reply=reply)
    return reply


def _tell_enterprise(reply: RatingReply) -> None:
    subjects = {
        (RatingReply.Status.PUBLISHED, False): _("您的回应已公开"),
        (RatingReply.Status.PUBLISHED, True): _("您的回应经删节后公开"),
        (RatingReply.Status.REFUSED, False): _("您的回应未予公开"),
    }
    body = (
        _("理由：%(reason)s") % {"reason": reply.decision_reason} if reply.decision_reason else ""
    )
    notify(
        User.objects.filter(role=Role.ENTERPRISE, unit_id=reply.rating.unit_id),
        subjects[(reply.status, reply.shortened)],
        body,
        reverse("ratings:rating_detail", args=[reply.rating_id]),
    )
