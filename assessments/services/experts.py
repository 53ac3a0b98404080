"""The expert roster, conflicts of interest and assignments (专家指派)."""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Application, Assignment, ConflictOfInterest, Expert, Status
from assessments.workflow import advance
from portal import audit
from portal.models import User
from portal.notifications import notify
from portal.refusals import Refused


def assign_experts(
    *, application: Application, experts: Iterable[Expert], actor: User
) -> list[Assignment]:
    """Assign ``experts`` to an accepted application, all or none.

    A declared conflict of interest with the unit refuses the whole request with a message
    naming the expert. The first assignment starts the evaluation (accepted → under
    evaluation) in the same transaction.
    """
    experts = list(experts)
    if not experts:
        raise Refused(_("请至少选择一位专家或中介机构。"))
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update().select_related("unit").get(pk=application.pk)
        )
        if not locked.awaits_experts:
            raise Refused(
                _("当前状态“%(status)s”下不能指派专家。") % {"status": locked.get_status_display()}
            )
        conflicted = set(
            ConflictOfInterest.objects.filter(
                unit_id=locked.unit_id, expert__in=experts
            ).values_list("expert_id", flat=True)
        )
        already = set(locked.assignments.values_list("expert_id", flat=True))
        for expert in experts:
            if expert.pk in conflicted:
                raise Refused(
                    _("%(expert)s 已申报与“%(unit)s”存在利益冲突，不能指派。")
                    % {"expert": expert.name, "unit": locked.unit.name}
                )
            if expert.pk in already:
                raise Refused(_("%(expert)s 已被指派评估该申报。") % {"expert": expert.name})
            if not expert.is_active:
                raise Refused(_("%(expert)s 已不在册。") % {"expert": expert.name})
            if expert.user_id is None:
                raise Refused(
                    _("%(expert)s 尚未关联登录账号，无法在线评分。") % {"expert": expert.name}
                )
        created = Assignment.objects.bulk_create(
            [Assignment(application=locked, expert=expert, assigned_by=actor) for expert in experts]
        )
        audit.record(
            Assignment,
            [(row.pk, str(row), {"expert": [None, row.expert]}) for row in created],
            audit.Action.CREATE,
            actor=actor,
        )
        if locked.status == Status.ACCEPTED:
            names = "、".join(expert.name for expert in experts)
            advance(
                application=locked,
                actor=actor,
                name="start_evaluation",
                reason=_("指派专家：%(names)s") % {"names": names},
                expected_status=Status.ACCEPTED,
            )
        link = reverse("evaluation:worklist")
        notify(
            [expert.user for expert in experts],
            _("新的评估任务：%(unit)s") % {"unit": locked.unit.name},
            _(
                "监管局指派您评估“%(unit)s”（%(cycle)s）的安全生产诚信评估申报。评分前请先作出利益冲突声明。"
            )
            % {"unit": locked.unit.name, "cycle": locked.cycle.name},
            link,
        )
    return created


def declare_conflict(*, expert: Expert, unit, reason: str) -> ConflictOfInterest:
    """Record that ``expert`` may not evaluate ``unit``; withdraw them from its open cases."""
    from assessments.services.evaluation import withdraw_for_conflict

    with transaction.atomic():
        conflict, _created = ConflictOfInterest.objects.get_or_create(
            expert=expert, unit=unit, defaults={"reason": reason}
        )
        # Only cases still in evaluation: past it the assignment is the record of a result.
        open_assignments = Assignment.objects.filter(
            expert=expert,
            application__unit=unit,
            application__status=Status.UNDER_EVALUATION,
            signed_off_at__isnull=True,
        )
        for assignment in open_assignments:
            withdraw_for_conflict(assignment=assignment, reason=reason)
    return conflict
