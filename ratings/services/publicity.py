"""Public comment (公示): open a batch, take comments and objections, reply, answer, regrade."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Status
from assessments.stars import round_score, star_for
from assessments.workflow import advance, advance_all
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused

from ..models import Comment, GradeChange, PublicityBatch, PublicityItem, hash_tracking_code
from .objections import after_grade, after_grade_change, may_decide

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def open_batch(
    *,
    cycle,
    applications: list[Application],
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor: User,
) -> PublicityBatch:
    if ends_at <= starts_at:
        raise Refused(_("公示截止时间必须晚于开始时间。"))
    if ends_at <= timezone.now():
        raise Refused(_("公示截止时间已过，请重新选择。"))
    if not applications:
        raise Refused(_("请至少选择一个已拟定等级的单位。"))
    with transaction.atomic():
        batch = PublicityBatch.objects.create(
            cycle=cycle, title=title, starts_at=starts_at, ends_at=ends_at, opened_by=actor
        )
        if any(application.cycle_id != cycle.pk for application in applications):
            raise Refused(_("只能公示本周期的申报。"))
        # Set-based: a batch of a thousand units opens in one go, with every row's checks.
        locked = advance_all(
            applications=applications,
            actor=actor,
            name="open_publicity",
            reason=title,
            expected_status=Status.GRADED,
        )
        PublicityItem.objects.bulk_create(
            [
                PublicityItem(
                    batch=batch,
                    application=application,
                    proposed_star=application.star,
                    proposed_score=application.comprehensive_score,
                )
                for application in locked
            ],
            batch_size=2000,
        )
    return batch


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _require_open(item: PublicityItem) -> None:
    if not item.batch.is_open:
        raise Refused(_("该公示不在意见征询期内，不能提交意见。"))
    if item.application.status != Status.IN_PUBLICITY:
        raise Refused(_("该单位已不在公示中。"))


def submit_comment(
    *, item: PublicityItem, content: str, contact_name: str, contact_phone: str
) -> tuple[Comment, str]:
    """Record a public comment; return it and its tracking code (shown once, stored hashed)."""
    _require_open(item)
    code = new_tracking_code()
    comment = Comment.objects.create(
        item=item,
        kind=Comment.Kind.PUBLIC,
        content=content,
        contact_name=contact_name,
        contact_phone=contact_phone,
        tracking_code_hash=hash_tracking_code(code.replace("-", "")),
    )
    notify(
        User.objects.filter(role=Role.BUREAU),
        _("收到对%(unit)s的公示意见") % {"unit": item.application.unit.name},
    )
    return comment, code


def find_by_tracking_code(code: str) -> Comment | None:
    normalized = code.replace("-", "").replace(" ", "").upper()
    if len(normalized) != 12 or any(ch not in TRACKING_ALPHABET for ch in normalized):
        return None
    return (
        Comment.objects.select_related("item__batch", "item__application__unit")
        .filter(kind=Comment.Kind.PUBLIC, tracking_code_hash=hash_tracking_code(normalized))
        .first()
    )


def reply(*, comment: Comment, text: str, actor: User) -> Comment:
    """The enterprise replies to a public comment about it, during the window."""
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update().select_related("item__batch").get(pk=comment.pk)
        )
        _require_open(locked.item)
        if locked.kind != Comment.Kind.PUBLIC:
            raise Refused(_("只能回复社会意见。"))
        if locked.replied_at is not None:
            raise Refused(_("该意见已回复，不能重复回复。"))
        locked.reply = text
        locked.replied_at = timezone.now()
        locked.save(update_fields=["reply", "replied_at"])
    return locked


def object_to_grade(
    *, item: PublicityItem, reasons: str, evidence, evidence_type: str, actor: User
) -> Comment:
    """The enterprise objects (异议) to its proposed grade, with reasons and evidence."""
    with transaction.atomic():
        locked = PublicityItem.objects.select_for_update().select_related("batch").get(pk=item.pk)
        _require_open(locked)
        # The same objection sent twice (a double click, a replayed form) is kept once.
        if locked.comments.filter(
            kind=Comment.Kind.OBJECTION, content=reasons, answered_at__isnull=True
        ).exists():
            raise Refused(_("相同的异议已经提交，正在等待监管局答复。"))
        objection = Comment(
            item=locked, kind=Comment.Kind.OBJECTION, content=reasons, submitted_by=actor
        )
        if evidence is not None:
            objection.evidence = evidence
            objection.evidence_name = evidence.name[:200]
            objection.evidence_type = evidence_type
        objection.save()
    notify(
        User.objects.filter(role=Role.BUREAU),
        _("%(unit)s对拟定等级提出异议") % {"unit": item.application.unit.name},
    )
    return objection


def answer(*, comment: Comment, decision: str, text: str, actor: User) -> Comment:
    """The bureau answers a comment or objection, once, before the result goes on. An
    objection is decided only by an officer who took no part (``objections.may_decide``)."""
    with transaction.atomic():
        locked = (
            Comment.objects.select_for_update()
            .select_related("item__application")
            .get(pk=comment.pk)
        )
        if locked.kind == Comment.Kind.OBJECTION and not may_decide(actor, locked.item.application):
            raise PermissionDenied
        if locked.is_answered:
            raise Refused(_("该意见已答复，不能重复答复。"))
        if locked.item.application.status != Status.IN_PUBLICITY:
            raise Refused(_("该单位已不在公示阶段，不能再答复。"))
        locked.decision = decision
        locked.answer = text
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["decision", "answer", "answered_by", "answered_at"])
        if locked.kind == Comment.Kind.OBJECTION and locked.submitted_by_id:
            notify(
                [locked.submitted_by],
                _("您对拟定等级的异议已处理：%(d)s") % {"d": locked.get_decision_display()},
                text,
            )
    return locked


def _apply_grade(
    application: Application, new_score: Decimal, has_veto: bool, reason: str
) -> tuple[Decimal, int]:
    """Set score and star on the (locked) application; return the old score and star."""
    old_score, old_star = application.comprehensive_score, application.star
    new_score = round_score(new_score)
    application.comprehensive_score = new_score
    application.has_veto = has_veto
    application.star = star_for(new_score, has_veto)
    if application.preliminary_score is not None:
        application.score_adjustment = new_score - application.preliminary_score
    application.adjustment_reason = "\n".join(
        part for part in (application.adjustment_reason, reason) if part
    )
    return old_score, old_star


def change_grade(
    *,
    application: Application,
    new_score: Decimal,
    has_veto: bool,
    reason: str,
    actor: User,
    comment: Comment | None = None,
    objection=None,
) -> GradeChange:
    """Change a proposed grade while answering comments (the unit stays in publicity), or on
    an upheld objection (also before publicity opens). A lowered grade brings a new notice
    (告知书); a raised one retires the notice in force."""
    if not reason.strip():
        raise Refused(_("调整等级必须说明理由。"))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        changeable = (Status.IN_PUBLICITY, Status.GRADED) if objection else (Status.IN_PUBLICITY,)
        if locked.status not in changeable:
            raise Refused(_("只有公示中的单位可以调整等级。"))
        if comment is not None and comment.item.application_id != locked.pk:
            raise Refused(_("所答复的意见不属于该单位。"))
        if (round_score(new_score), has_veto) == (locked.comprehensive_score, locked.has_veto):
            # Also what a second click on the same change meets: nothing is recorded twice.
            raise Refused(_("综合考评得分和否决项都没有改变，无需调整。"))
        old_score, old_star = _apply_grade(locked, new_score, has_veto, reason)
        locked.save()
        PublicityItem.objects.filter(application=locked).update(
            proposed_star=locked.star, proposed_score=locked.comprehensive_score
        )
        change = GradeChange.objects.create(
            application=locked,
            comment=comment,
            objection=objection,
            old_score=old_score,
            new_score=locked.comprehensive_score,
            old_star=old_star,
            new_star=locked.star,
            has_veto=has_veto,
            reason=reason,
            changed_by=actor,
        )
        after_grade_change(change, actor)
        return change


def regrade_after_return(
    *,
    application: Application,
    new_score: Decimal,
    has_veto: bool,
    reason: str,
    actor: User,
    expected_status: str,
) -> Application:
    """After a government return the bureau grades again (keeping or changing the grade);
    the result then goes through a new publicity batch (docs/decisions/0031)."""
    if not reason.strip():
        raise Refused(_("请说明重新考评的理由。"))
    changed: dict = {}

    def set_grade(locked: Application) -> None:
        changed["old"] = _apply_grade(locked, new_score, has_veto, reason)

    with transaction.atomic():
        locked = advance(
            application=application,
            actor=actor,
            name="grade",
            reason=reason,
            expected_status=expected_status,
            before_save=set_grade,
        )
        old_score, old_star = changed["old"]
        after_grade(locked, actor)
        GradeChange.objects.create(
            application=locked,
            old_score=old_score,
            new_score=locked.comprehensive_score,
            old_star=old_star,
            new_star=locked.star,
            has_veto=has_veto,
            reason=reason,
            changed_by=actor,
        )
    return locked
