"""Municipal confirmation: submit answered results to the government; it confirms or returns."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Status
from assessments.workflow import advance_all
from portal import audit
from portal.models import Role, User
from portal.notifications import notify
from portal.punctuation import punct
from portal.refusals import Refused

from ..models import Comment, PublicityBatch, PublicityItem, Submission, SubmissionItem
from . import objections as due_process


def blockers(item: PublicityItem, now=None) -> list[str]:
    """Why this unit's result may not go to the government yet (empty when it may)."""
    reasons = []
    if item.application.status != Status.IN_PUBLICITY:
        reasons.append(_("不在公示阶段"))
        return reasons
    if item.batch.state(now) != PublicityBatch.State.CLOSED:
        reasons.append(_("公示期尚未结束"))
    unanswered = [c for c in item.comments.all() if not c.is_answered]
    comments = sum(1 for c in unanswered if c.kind == Comment.Kind.PUBLIC)
    objections = len(unanswered) - comments
    if comments:
        reasons.append(_("%(n)d 条意见未答复") % {"n": comments})
    if objections:
        reasons.append(_("%(n)d 项异议未答复") % {"n": objections})
    # Due process: the notice's objection period, or a pending objection, holds it back.
    reasons += due_process.blockers(item.application, timezone.localdate(now) if now else None)
    return reasons


def submit_to_government(
    *, batch: PublicityBatch, items: list[PublicityItem], note: str, actor: User
) -> Submission:
    """Submit the chosen units of a closed batch; refuse all if any is not ready."""
    if not items:
        raise Refused(_("请至少选择一个单位报送。"))
    with transaction.atomic():
        # Lock the applications first so a comment answered meanwhile cannot race the check.
        list(
            Application.objects.select_for_update()
            .filter(pk__in=[item.application_id for item in items])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        problems = []
        for item in items:
            fresh = (
                PublicityItem.objects.select_related("batch", "application__unit")
                .prefetch_related("comments")
                .get(pk=item.pk)
            )
            for reason in blockers(fresh):
                problems.append(f"{fresh.application.unit.name}{punct('：')}{reason}")
        if problems:
            raise Refused(_("以下单位暂不能报送：") + "；".join(problems))
        submission = Submission.objects.create(
            cycle=batch.cycle, batch=batch, note=note, submitted_by=actor
        )
        # Set-based, with every row's checks: a city's results go to the government at once.
        applications = advance_all(
            applications=[item.application_id for item in items],
            actor=actor,
            name="submit_to_government",
            reason=note,
            expected_status=Status.IN_PUBLICITY,
        )
        created = SubmissionItem.objects.bulk_create(
            [
                SubmissionItem(submission=submission, application=application)
                for application in applications
            ],
            batch_size=2000,
        )
        audit.record(
            SubmissionItem,
            [
                (
                    row.pk,
                    str(row),
                    {
                        "submission": (None, submission.pk),
                        "application": (None, row.application_id),
                    },
                )
                for row in created
            ],
            audit.Action.CREATE,
            actor,
        )
        link = reverse("ratings:submission_detail", args=[submission.pk])
        transaction.on_commit(
            lambda: notify(
                User.objects.filter(role=Role.GOVERNMENT),
                _("安全生产诚信等级评定结果待确认：%(title)s") % {"title": batch.title},
                link=link,
            )
        )
    return submission


def decide(
    *,
    submission: Submission,
    items: list[SubmissionItem],
    confirm: bool,
    reason: str,
    actor: User,
) -> int:
    """The government confirms the chosen items, or returns them with a reason."""
    if not items:
        raise Refused(_("请至少选择一个单位。"))
    if not confirm and not reason.strip():
        raise Refused(_("退回必须说明理由。"))
    with transaction.atomic():
        locked = list(
            SubmissionItem.objects.select_for_update()
            .filter(pk__in=[item.pk for item in items])
            .order_by("pk")
        )
        if len(locked) != len({item.pk for item in items}):
            raise Refused(_("所选单位已处理，请刷新页面。"))
        for row in locked:
            if row.submission_id != submission.pk:
                raise Refused(_("所选单位不属于本批报送。"))
            if row.decision != SubmissionItem.Decision.PENDING:
                raise Refused(_("所选单位已处理，请刷新页面。"))
        # Set-based, with every row's checks: the government may confirm a city at once.
        applications = advance_all(
            applications=[row.application_id for row in locked],
            actor=actor,
            name="confirm" if confirm else "return_to_bureau",
            reason=reason,
            expected_status=Status.SUBMITTED_TO_GOVERNMENT,
        )
        by_pk = {application.pk: application for application in applications}
        decision = (
            SubmissionItem.Decision.CONFIRMED if confirm else SubmissionItem.Decision.RETURNED
        )
        now = timezone.now()
        for row in locked:
            row.application = by_pk[row.application_id]
            row.submission = submission
            row.decision, row.reason, row.decided_by, row.decided_at = decision, reason, actor, now
        SubmissionItem.objects.bulk_update(
            locked, ["decision", "reason", "decided_by", "decided_at"], batch_size=1000
        )
        audit.record(
            SubmissionItem,
            [
                (
                    row.pk,
                    str(row),
                    {
                        "decision": (SubmissionItem.Decision.PENDING, decision),
                        "reason": ("", reason),
                        "decided_by": (None, actor.pk),
                        "decided_at": (None, now),
                    },
                )
                for row in locked
            ],
            audit.Action.UPDATE,
            actor,
        )
        subject = (
            _("市政府已确认 %(n)d 个单位的评定结果")
            if confirm
            else _("市政府退回 %(n)d 个单位的评定结果")
        ) % {"n": len(items)}
        link = reverse("ratings:submission_detail", args=[submission.pk])
        transaction.on_commit(
            lambda: notify(User.objects.filter(role=Role.BUREAU), subject, reason, link)
        )
    return len(items)
