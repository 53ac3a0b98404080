"""The grade review (等级考评): the bureau sets the comprehensive score and the proposed star."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Status
from assessments.signals import application_graded
from assessments.stars import round_score, star_for
from assessments.workflow import advance
from portal.models import User
from portal.punctuation import punct
from portal.refusals import Refused

MIN_SCORE = Decimal("0")
MAX_SCORE = Decimal("100")


def comprehensive_score(preliminary: Decimal, adjustment: Decimal) -> Decimal:
    """Preliminary score plus the adjustment, which may not leave 0..100."""
    score = round_score(preliminary + adjustment)
    if not MIN_SCORE <= score <= MAX_SCORE:
        raise Refused(
            _("调整后的综合考评得分为 %(score)s 分，应在 0 至 100 分之间。") % {"score": score}
        )
    return score


def grade(
    *,
    application: Application,
    actor: User,
    adjustment: Decimal = Decimal("0"),
    reason: str = "",
    expected_status: str | None = None,
) -> Application:
    """Set the comprehensive score and proposed star and move the application to "graded".

    An adjustment needs a written reason; it is kept on the application and in the
    transition record (the archive shows it).
    """
    reason = reason.strip()
    adjustment = round_score(adjustment)
    if adjustment != 0 and not reason:
        raise Refused(_("调整分数必须填写调整理由。"))
    if application.preliminary_score is None:
        raise Refused(_("该申报尚无初评得分，不能进行等级考评。"))
    score = comprehensive_score(application.preliminary_score, adjustment)

    def record(locked: Application) -> None:
        locked.score_adjustment = adjustment
        locked.adjustment_reason = reason
        locked.comprehensive_score = score
        locked.star = star_for(score, locked.has_veto)
        locked.graded_at = timezone.now()

    star = star_for(score, application.has_veto)
    summary = _(
        "初评得分 %(pre)s 分，调整 %(adj)s 分，综合考评得分 %(score)s 分，拟定%(star)s。"
    ) % {
        "pre": application.preliminary_score,
        "adj": f"{adjustment:+}",
        "score": score,
        "star": star.label,
    }
    if reason:
        summary += _("调整理由：%(reason)s") % {"reason": reason}
    with transaction.atomic():
        graded = advance(
            application=application,
            actor=actor,
            name="grade",
            reason=summary,
            reason_codes=["score_adjusted"] if adjustment else [],
            expected_status=expected_status,
            before_save=record,
        )
        application_graded.send(sender=Application, application=graded, actor=actor)
    return graded


def grade_batch(
    *, applications: list[Application], actor: User
) -> tuple[list[Application], list[str]]:
    """Grade each without adjustment; one refusal does not undo the others."""
    graded, refusals = [], []
    for application in applications:
        try:
            with transaction.atomic():
                graded.append(
                    grade(application=application, actor=actor, expected_status=Status.EVALUATED)
                )
        except Refused as error:
            refusals.append(f"{application.unit.name}{punct('：')}{error}")
    return graded, refusals
