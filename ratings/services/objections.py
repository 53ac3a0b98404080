"""Due process: the notice before an adverse result (告知书) and the objection decided by an
independent officer (异议复核), after 国办发〔2020〕49号.

- ``after_grade`` and ``after_grade_change`` are called when a grade is set or changed; they
  issue a notice when the result is adverse and retire notices that no longer apply.
- ``blockers`` says why a result may not go to the government yet; the confirmation service
  refuses while it is not empty.
- ``file_objection`` and ``decide`` are the enterprise's and the independent officer's acts.
  An upheld objection changes the result through the existing paths: ``publicity.change_grade``
  for a proposed result, ``publication.revoke`` for a published one (departments are told by
  the revocation notices and webhooks).
- A decision finishes a service: the enterprise is offered a service rating (好差评,
  ``assessments.services.service_ratings``), and ``objection_decided`` (ratings.signals) is sent after it commits.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Assignment, Status, VetoFinding
from assessments.services.service_ratings import TransactionKind, offer_service_rating
from assessments.stars import Star, star_for
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused
from portal.working_days import add_working_days

from ..models import AdverseNotice, Comment, GradeChange, Objection
from ..signals import objection_decided

SCHEME = "《新郑市人民政府关于建立安全生产诚信联动机制的意见》（新政〔2010〕36号）"
# The scheme's own words (seed document), quoted in the notice as the rule it rests on.
ARTICLE_SIX = (
    "六、安全生产诚信分级、设定标准：五星级，综合考评得分在95分以上。"
    "四星级，综合考评得分在85分以上、95分以下。三星级，综合考评得分在 75 分以上、85 分以下。"
    "存在否决项或综合考评得分在 75 分以下的，不能被评为星级安全生产诚信单位，"
    "且列为事故隐患重点监控单位。本条所称的“以上”包括本数，“以下”不包括本数。"
)
ARTICLE_FIVE_REVIEW = (
    "五、实施步骤及程序 第三阶段 3. 等级考评：市安全生产监管局牵头组织有关单位对专家提出的"
    "评估报告进行审查，提出生产经营单位安全生产信用等级考评初步意见。"
)
ARTICLE_FIVE_COMMENT = (
    "五、实施步骤及程序 第四阶段 2. 形成评级结果：市安全生产监管局根据征询意见情况组织有关单位，"
    "提出生产经营单位安全生产诚信建设评级结果意见报市人民政府确认。"
)
DUE_PROCESS = "《国务院办公厅关于进一步完善失信约束制度 构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）"

# Steps whose officers may not decide an objection about the same application.
INVOLVING_TRANSITIONS = ("accept", "return_for_correction", "start_evaluation", "grade")


def _rule(kind: str) -> str:
    step = {
        AdverseNotice.Kind.NO_STAR: "",
        AdverseNotice.Kind.LOWERED_IN_REVIEW: ARTICLE_FIVE_REVIEW,
        AdverseNotice.Kind.LOWERED_AFTER_COMMENT: ARTICLE_FIVE_COMMENT,
    }[kind]
    return "\n".join(part for part in (SCHEME + ARTICLE_SIX, SCHEME + step if step else "") if part)


def _facts(application: Application, comment: Comment | None, reason: str) -> list[str]:
    facts = []
    if application.preliminary_score is not None:
        experts = Assignment.objects.filter(application=application).count()
        facts.append(
            _("专家评估初评得分 %(score)s 分（%(n)d 位专家评分的平均值）。")
            % {"score": application.preliminary_score, "n": experts}
        )
    if application.score_adjustment:
        facts.append(_("等级考评调整 %(adj)s 分。") % {"adj": f"{application.score_adjustment:+}"})
    facts.append(_("综合考评得分 %(score)s 分。") % {"score": application.comprehensive_score})
    findings = (
        VetoFinding.objects.filter(assignment__application=application)
        .select_related("veto_item")
        .order_by("veto_item__order", "pk")
    )
    seen = set()
    for finding in findings:
        if finding.veto_item_id in seen:
            continue
        seen.add(finding.veto_item_id)
        facts.append(
            _("否决项 %(code)s“%(text)s”：%(evidence)s")
            % {
                "code": finding.veto_item.code,
                "text": finding.veto_item.text,
                "evidence": finding.evidence,
            }
        )
    if application.has_veto and not seen:
        facts.append(_("经考评认定存在否决项。"))
    if comment is not None:
        facts.append(
            _("意见征询期间收到的意见（%(kind)s）经核实成立：%(content)s；处理意见：%(answer)s")
            % {
                "kind": comment.get_kind_display(),
                "content": comment.content,
                "answer": comment.answer or "-",
            }
        )
    if reason:
        facts.append(_("调整理由：%(reason)s") % {"reason": reason})
    return facts


def _issue(
    application: Application,
    kind: str,
    actor: User,
    *,
    previous_star: int | None,
    comment: Comment | None = None,
    reason: str = "",
) -> AdverseNotice:
    now = timezone.now()
    AdverseNotice.objects.filter(application=application, superseded_at__isnull=True).update(
        superseded_at=now
    )
    notice = AdverseNotice.objects.create(
        application=application,
        number=f"tmp-{application.pk}-{now.timestamp()}",
        kind=kind,
        proposed_star=application.star,
        proposed_score=application.comprehensive_score,
        previous_star=previous_star,
        facts=_facts(application, comment, reason),
        rule=_rule(kind),
        objection_deadline=add_working_days(
            timezone.localdate(now), settings.OBJECTION_PERIOD_WORKING_DAYS
        ),
        issued_by=actor,
        issued_at=now,
    )
    notice.number = f"新安监告〔{application.cycle.year}〕{notice.pk}号"
    notice.save(update_fields=["number"])
    link = reverse("ratings:notice_detail", args=[notice.pk])
    recipients = list(User.objects.filter(role=Role.ENTERPRISE, unit_id=application.unit_id))
    subject = _("不利结果告知：拟定%(star)s，可于 %(date)s 前提出异议") % {
        "star": Star(notice.proposed_star).label,
        "date": notice.objection_deadline.isoformat(),
    }
    notify(recipients, subject, link=link)  # rows in this transaction; e-mail after commit
    return notice


def _retire(application: Application) -> None:
    AdverseNotice.objects.filter(application=application, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )


def after_grade(application: Application, actor: User) -> AdverseNotice | None:
    """The grade review set a proposed grade: tell the enterprise if it is adverse."""
    if application.star == Star.NONE:
        return _issue(application, AdverseNotice.Kind.NO_STAR, actor, previous_star=None)
    experts_star = star_for(application.preliminary_score, application.has_veto)
    if application.star < experts_star:
        return _issue(
            application,
            AdverseNotice.Kind.LOWERED_IN_REVIEW,
            actor,
            previous_star=experts_star,
            reason=application.adjustment_reason,
        )
    _retire(application)
    return None


def on_application_graded(sender, *, application: Application, actor: User, **kwargs) -> None:
    after_grade(application, actor)


def after_grade_change(change: GradeChange, actor: User) -> AdverseNotice | None:
    """A proposed grade changed while answering comments or deciding an objection."""
    application = change.application
    if change.new_star < change.old_star:
        kind = (
            AdverseNotice.Kind.LOWERED_AFTER_COMMENT
            if change.comment_id
            else AdverseNotice.Kind.LOWERED_IN_REVIEW
        )
        return _issue(
            application,
            kind,
            actor,
            previous_star=change.old_star,
            comment=change.comment,
            reason=change.reason,
        )
    if change.new_star > change.old_star:
        _retire(application)
    return None


def notice_in_force(application: Application) -> AdverseNotice | None:
    return application.adverse_notices.filter(superseded_at__isnull=True).first()


def blockers(application: Application, today=None) -> list[str]:
    """Why due process holds this result back from the government (empty when it does not)."""
    today = today or timezone.localdate()
    pending = application.objections.filter(decision=Objection.Decision.PENDING).first()
    if pending is not None:
        return [_("异议复核尚未作出决定（期限 %(date)s）") % {"date": pending.due_on.isoformat()}]
    notice = notice_in_force(application)
    if notice is not None and notice.period_open(today) and not notice.objections.exists():
        return [
            _("告知书 %(number)s 的异议期至 %(date)s 届满，届满前不能报送")
            % {"number": notice.number, "date": notice.objection_deadline.isoformat()}
        ]
    return []


# --- objections ---


def involved_officers(application: Application) -> set[int]:
    """Who took part in this application: acceptance, evaluation assignment, grade review
    (including grade changes) and answers to comments, from the recorded history."""
    ids = set(
        application.transitions.filter(name__in=INVOLVING_TRANSITIONS).values_list(
            "actor_id", flat=True
        )
    )
    if application.handler_id:
        ids.add(application.handler_id)
    ids |= set(application.assignments.values_list("assigned_by_id", flat=True))
    ids |= set(application.grade_changes.values_list("changed_by_id", flat=True))
    ids |= set(
        Comment.objects.filter(
            item__application=application, answered_by__isnull=False
        ).values_list("answered_by_id", flat=True)
    )
    return ids


def may_decide(user: User, application: Application) -> bool:
    """The one rule for who decides an objection: a bureau officer who took no part."""
    return (
        user.is_authenticated
        and user.role == Role.BUREAU
        and user.pk not in involved_officers(application)
    )


def objectable(application: Application, today=None) -> tuple[str, object] | str:
    """What the enterprise may object to now, as (against, notice-or-rating), or why not."""
    today = today or timezone.localdate()
    if application.objections.filter(decision=Objection.Decision.PENDING).exists():
        return _("已有一项异议正在复核，请等待复核决定。")
    if application.status == Status.PUBLISHED:
        rating = getattr(application, "rating", None)
        # Only the result in force: not a revoked one, nor one a re-rating replaced.
        if rating is not None and not rating.is_revoked and rating.superseded_on is None:
            return (Objection.Against.PUBLISHED, rating)
    notice = notice_in_force(application)
    if notice is not None and application.status in (Status.GRADED, Status.IN_PUBLICITY):
        if not notice.period_open(today):
            return _("告知书 %(number)s 的异议期已于 %(date)s 届满。") % {
                "number": notice.number,
                "date": notice.objection_deadline.isoformat(),
            }
        if notice.objections.exists():
            return _("已对告知书 %(number)s 提出过异议。") % {"number": notice.number}
        return (Objection.Against.PROPOSED, notice)
    return _("目前没有可提出异议的结果：异议针对告知书所列的拟定结果或已公布的结果。")


def file_objection(
    *, application: Application, reasons: str, evidence, evidence_type: str, actor: User
) -> Objection:
    if actor.role != Role.ENTERPRISE or actor.unit_id != application.unit_id:
        raise PermissionDenied
    reasons = reasons.strip()
    if not reasons:
        raise Refused(_("请填写异议理由。"))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        target = objectable(locked)
        if isinstance(target, str):
            raise Refused(target)
        against, subject = target
        today = timezone.localdate()
        objection = Objection(
            application=locked,
            against=against,
            notice=subject if against == Objection.Against.PROPOSED else None,
            rating=subject if against == Objection.Against.PUBLISHED else None,
            reasons=reasons,
            filed_by=actor,
            due_on=add_working_days(today, settings.OBJECTION_DECISION_WORKING_DAYS),
        )
        if evidence is not None:
            objection.evidence = evidence
            objection.evidence_name = evidence.name[:200]
            objection.evidence_type = evidence_type
        try:
            with transaction.atomic():
                objection.save()
        except IntegrityError as error:  # a second request raced past the check
            raise Refused(_("已有一项异议正在复核，请等待复核决定。")) from error
        deciders = [
            user
            for user in User.objects.filter(role=Role.BUREAU, is_active=True)
            if user.pk not in involved_officers(locked)
        ]
        link = reverse("ratings:objection_detail", args=[objection.pk])
        subject_line = _("%(unit)s提出异议，请于 %(date)s 前复核") % {
            "unit": locked.unit.name,
            "date": objection.due_on.isoformat(),
        }
        notify(deciders, subject_line, link=link)
    return objection


def decide(
    *,
    objection: Objection,
    upheld: bool,
    text: str,
    actor: User,
    new_score: Decimal | None = None,
    new_has_veto: bool = False,
) -> Objection:
    """The independent officer decides; an upheld objection changes the result."""
    from . import publication, publicity

    text = text.strip()
    if not text:
        raise Refused(_("请填写复核意见（事实、理由和依据）。"))
    with transaction.atomic():
        locked = (
            Objection.objects.select_for_update(of=("self",))
            .select_related("application__unit", "rating")
            .get(pk=objection.pk)
        )
        application = locked.application
        if not may_decide(actor, application):
            raise PermissionDenied
        if locked.is_decided:
            raise Refused(_("该异议已作出复核决定，不能重复决定。"))
        if upheld and locked.against == Objection.Against.PROPOSED:
            if new_score is None:
                raise Refused(_("异议成立时请填写复核后的综合考评得分。"))
            publicity.change_grade(
                application=application,
                new_score=new_score,
                has_veto=new_has_veto,
                reason=_("异议复核成立：%(text)s") % {"text": text},
                actor=actor,
                objection=locked,
            )
            locked.new_score = new_score
            locked.new_has_veto = new_has_veto
        elif upheld:
            publication.revoke(
                rating=locked.rating,
                reason=_("经异议复核，原公布结果撤销：%(text)s") % {"text": text},
                actor=actor,
            )
        locked.decision = Objection.Decision.UPHELD if upheld else Objection.Decision.NOT_UPHELD
        locked.decision_text = text
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save()
        # A finished service: the enterprise is offered a 好差评 rating of this decision.
        offer_service_rating(
            unit=application.unit,
            kind=TransactionKind.OBJECTION_DECISION,
            obj=locked,
            reference=f"{application.cycle} · {locked.get_decision_display()}",
        )
        enterprise = list(User.objects.filter(role=Role.ENTERPRISE, unit_id=application.unit_id))
        link = reverse("ratings:objection_detail", args=[locked.pk])
        subject = _("您的异议已作出复核决定：%(d)s") % {"d": locked.get_decision_display()}
        notify(enterprise, subject, text, link)
        transaction.on_commit(
            lambda: objection_decided.send(sender=Objection, objection=locked, actor=actor)
        )
    return locked
