"""Expert scoring, sign-off and the evaluation result (初评得分).

When the last assigned expert signs off, the application moves to "evaluated" in the same
transaction, with the preliminary score (the mean of the experts' totals, rounded half up to
one place), the veto verdict, the star it would give and the two flags for the bureau.
The report PDF is rendered from these frozen figures on download (docs/decisions/0020).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    Application,
    Assignment,
    ConflictOfInterest,
    ExpertScore,
    Status,
    VetoFinding,
)
from assessments.stars import Star, mean_score, star_for
from assessments.workflow import advance
from portal import audit
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused


@dataclass(frozen=True)
class ItemEntry:
    score: Decimal | None
    finding: str = ""


@dataclass(frozen=True)
class EvaluationResult:
    expert_totals: list[Decimal]
    preliminary_score: Decimal
    has_veto: bool
    star: Star
    gap_flagged: bool
    veto_missed_flagged: bool


def _lock(assignment: Assignment) -> Assignment:
    # The application row first: two experts signing at once are serialised on it, so exactly
    # one of them sees everybody signed and completes the evaluation.
    Application.objects.select_for_update().get(pk=assignment.application_id)
    return (
        Assignment.objects.select_for_update()
        .select_related("application__cycle", "application__unit", "expert")
        .get(pk=assignment.pk)
    )


def _require_open(assignment: Assignment) -> None:
    if assignment.signed_off_at is not None:
        raise Refused(_("您已签署该评估，评分不能再修改，也不能重复签署。"))
    if assignment.application.status != Status.UNDER_EVALUATION:
        raise Refused(
            _("该申报当前状态为“%(status)s”，不能评分。")
            % {"status": assignment.application.get_status_display()}
        )


def declare_no_conflict(assignment: Assignment) -> None:
    with transaction.atomic():
        locked = _lock(assignment)
        _require_open(locked)
        if locked.no_conflict_declared_at is None:
            locked.no_conflict_declared_at = timezone.now()
            locked.save(update_fields=["no_conflict_declared_at"])


def withdraw_for_conflict(*, assignment: Assignment, reason: str) -> None:
    """The expert declared a conflict: drop the unsigned assignment and tell the bureau."""
    with transaction.atomic():
        locked = _lock(assignment)
        if locked.signed_off_at is not None:
            raise Refused(_("您已签署该评估，不能再申报回避。"))
        application = locked.application
        if application.status != Status.UNDER_EVALUATION:
            # Past evaluation the assignment and its scores are the record of a result.
            raise Refused(
                _("该申报当前状态为“%(status)s”，已不在专家评估阶段，不能再申报回避。")
                % {"status": application.get_status_display()}
            )
        ConflictOfInterest.objects.get_or_create(
            expert=locked.expert, unit=application.unit, defaults={"reason": reason}
        )
        locked.delete()
        notify(
            User.objects.filter(role=Role.BUREAU, is_active=True),
            _("专家申报利益冲突并回避：%(unit)s") % {"unit": application.unit.name},
            _("%(expert)s 申报与该单位存在利益冲突（%(reason)s），已退出评估。请另行指派专家。")
            % {"expert": locked.expert.name, "reason": reason},
            reverse("evaluation:assign", args=[application.pk]),
        )


def save_draft(
    *,
    assignment: Assignment,
    items: dict[int, ItemEntry],
    vetoes: dict[int, str],
    overall_opinion: str,
) -> None:
    """Save the expert's scores, findings and veto findings; they stay editable until sign-off.

    ``items`` maps standard item ids to entries; ``vetoes`` maps veto item ids found to the
    evidence text (veto items absent from it are not found).
    """
    with transaction.atomic():
        locked = _lock(assignment)
        _save(locked, items, vetoes, overall_opinion)


def _save(
    assignment: Assignment,
    items: dict[int, ItemEntry],
    vetoes: dict[int, str],
    overall_opinion: str,
) -> None:
    _require_open(assignment)
    if assignment.no_conflict_declared_at is None:
        raise Refused(_("评分前请先作出利益冲突声明。"))
    standard = assignment.application.cycle.standard
    standard_items = {item.pk: item for item in standard.items()}
    for item_id, entry in items.items():
        item = standard_items.get(item_id)
        if item is None:
            raise Refused(_("评分项不属于本周期的评分标准。"))
        if entry.score is not None and not (
            Decimal(0) <= entry.score <= item.max_points and entry.score.as_tuple().exponent >= -1
        ):
            raise Refused(
                _("第 %(code)s 项的评分应在 0 至 %(max)s 分之间，最多一位小数。")
                % {"code": item.code, "max": item.max_points}
            )
    valid_vetoes = set(standard.vetoes.values_list("pk", flat=True))
    if not set(vetoes) <= valid_vetoes:
        raise Refused(_("否决项不属于本周期的评分标准。"))
    existing = {score.item_id: score for score in assignment.scores.all()}
    to_create, to_update, changes = [], [], {}
    for item_id, entry in items.items():
        row = existing.get(item_id)
        if row is None:
            row = ExpertScore(
                assignment=assignment, item_id=item_id, score=entry.score, finding=entry.finding
            )
            to_create.append(row)
            changes[item_id] = {"score": [None, entry.score], "finding": ["", entry.finding]}
        elif (row.score, row.finding) != (entry.score, entry.finding):
            changes[item_id] = {
                "score": [row.score, entry.score],
                "finding": [row.finding, entry.finding],
            }
            row.score, row.finding = entry.score, entry.finding
            to_update.append(row)
    ExpertScore.objects.bulk_create(to_create)
    ExpertScore.objects.bulk_update(to_update, ["score", "finding"])
    _audit_scores(assignment, standard_items, to_create, to_update, changes)
    assignment.veto_findings.exclude(veto_item_id__in=vetoes).delete()
    for veto_id, evidence in vetoes.items():
        VetoFinding.objects.update_or_create(
            assignment=assignment, veto_item_id=veto_id, defaults={"evidence": evidence}
        )
    assignment.overall_opinion = overall_opinion
    assignment.save(update_fields=["overall_opinion"])


def save_and_sign_off(
    *,
    assignment: Assignment,
    actor: User,
    items: dict[int, ItemEntry],
    vetoes: dict[int, str],
    overall_opinion: str,
) -> Application:
    """Save the form and sign it; the last signature completes the evaluation."""
    with transaction.atomic():
        locked = _lock(assignment)
        _save(locked, items, vetoes, overall_opinion)
        item_count = locked.application.cycle.standard.items().count()
        scored = locked.scores.filter(score__isnull=False).count()
        if scored < item_count:
            raise Refused(
                _("还有 %(n)s 个评分项未评分，全部评分后才能签署。") % {"n": item_count - scored}
            )
        locked.signed_off_at = timezone.now()
        locked.save(update_fields=["signed_off_at"])
        application = locked.application
        if not application.assignments.filter(signed_off_at__isnull=True).exists():
            application = _complete(application, actor)
    return application


def _audit_scores(assignment, standard_items, created, updated, changes) -> None:
    sheet = str(assignment)
    for rows, action in ((created, audit.Action.CREATE), (updated, audit.Action.UPDATE)):
        audit.record(
            ExpertScore,
            [
                (row.pk, f"{sheet} · {standard_items[row.item_id].code}", changes[row.item_id])
                for row in rows
            ],
            action,
            actor=assignment.expert.user,
        )


def evaluation_result(application: Application) -> EvaluationResult:
    """The figures of the evaluation report, from the signed assignments."""
    signed = application.assignments.filter(signed_off_at__isnull=False)
    totals = [
        row["total"] or Decimal(0)
        for row in signed.annotate(total=Sum("scores__score")).values("total").order_by("pk")
    ]
    preliminary = mean_score(totals)
    found = set(
        VetoFinding.objects.filter(assignment__in=signed).values_list("veto_item_id", flat=True)
    )
    declared = set(application.declared_vetoes.values_list("pk", flat=True))
    self_total = application.self_score_total
    return EvaluationResult(
        expert_totals=totals,
        preliminary_score=preliminary,
        has_veto=bool(found),
        star=star_for(preliminary, bool(found)),
        gap_flagged=self_total is not None
        and self_total - preliminary > application.cycle.gap_threshold,
        veto_missed_flagged=bool(found - declared),
    )


def _complete(application: Application, actor: User) -> Application:
    result = evaluation_result(application)

    def record(locked: Application) -> None:
        locked.preliminary_score = result.preliminary_score
        locked.has_veto = result.has_veto
        locked.star = result.star
        locked.gap_flagged = result.gap_flagged
        locked.veto_missed_flagged = result.veto_missed_flagged
        locked.evaluated_at = timezone.now()

    completed = advance(
        application=application,
        actor=actor,
        name="complete_evaluation",
        reason=_("全部专家已签署，初评得分 %(score)s 分。") % {"score": result.preliminary_score},
        reason_codes=[
            code
            for code, flagged in (
                ("gap", result.gap_flagged),
                ("veto_missed", result.veto_missed_flagged),
                ("veto", result.has_veto),
            )
            if flagged
        ],
        expected_status=Status.UNDER_EVALUATION,
        before_save=record,
    )
    report = reverse("evaluation:report", args=[completed.pk])
    notify(
        User.objects.filter(role=Role.BUREAU, is_active=True),
        _("评估报告已生成，待等级考评：%(unit)s") % {"unit": completed.unit.name},
        _("初评得分 %(score)s 分。") % {"score": completed.preliminary_score},
        reverse("evaluation:review", args=[completed.pk]),
    )
    notify(
        completed.unit.users.filter(role=Role.ENTERPRISE),
        _("专家评估已完成"),
        _("《安全生产诚信评估报告》已生成，可在线下载。"),
        report,
    )
    return completed
