"""An application taken through the real path up to the grade review, so that the grade
review's own service (``assessments.services.grading.grade``) proposes the grade and issues the
notice before an adverse result. The clerk who accepts, assigns and grades is an officer of
its own, so the bureau persona stays independent of it and may decide the objection."""

from decimal import Decimal

from assessments.models import Application, Assignment, ExpertScore, SelfScore, Status, VetoFinding
from assessments.services import acceptance
from assessments.services.grading import grade
from assessments.workflow import advance
from portal.demo.publications import enterprise_user, split_score
from portal.models import Role, User


def clerk() -> User:
    user = User.objects.filter(username="clerk").first()
    return user or User.objects.create(username="clerk", role=Role.BUREAU, display_name="经办员")


def graded_by_review(
    cycle, unit, score: Decimal, *, expert, officer=None, adjustment=Decimal("0"), veto=None
) -> Application:
    officer = officer or clerk()
    application = Application.objects.create(
        cycle=cycle, unit=unit, self_report="本单位已按评分标准逐项自查。"
    )
    items = list(cycle.standard.items())
    item_scores = split_score(score, [item.max_points for item in items])
    SelfScore.objects.bulk_create(
        SelfScore(application=application, item=item, score=s)
        for item, s in zip(items, item_scores, strict=True)
    )
    advance(application=application, actor=enterprise_user(unit), name="submit")
    acceptance.accept(application=application, actor=officer, expected_status=Status.SUBMITTED)
    advance(application=application, actor=officer, name="start_evaluation")
    assignment = Assignment.objects.create(
        application=application, expert=expert.expert_profile, assigned_by=officer
    )
    ExpertScore.objects.bulk_create(
        ExpertScore(assignment=assignment, item=item, score=s)
        for item, s in zip(items, item_scores, strict=True)
    )
    if veto is not None:
        VetoFinding.objects.create(
            assignment=assignment, veto_item=veto, evidence="2026年5月发生一起死亡事故。"
        )

    def evaluated(locked: Application) -> None:
        locked.preliminary_score = sum(item_scores)
        locked.has_veto = veto is not None

    advance(
        application=application, actor=expert, name="complete_evaluation", before_save=evaluated
    )
    application.refresh_from_db()
    reason = "现场核查发现应急预案未演练。" if adjustment else ""
    return grade(application=application, actor=officer, adjustment=adjustment, reason=reason)
