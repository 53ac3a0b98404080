"""Facts the platform already knows that contradict "no veto item", shown at the grade review.

The review page belongs to assessments, which must not reach into linkage (dependencies point
one way); the page asks through this tag instead.
"""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from linkage.models import Hazard
from ratings.models import Rating

register = template.Library()


def facts_against_no_veto(application) -> list[str]:
    year = application.cycle.year
    facts = []
    revoked = Rating.objects.filter(
        unit_id=application.unit_id, revoked_at__year=year
    ).select_related("cycle")
    for rating in revoked:
        facts.append(
            _(
                "%(cycle)s评级已于 %(date)s 撤销，理由：%(reason)s。如系生产安全死亡事故，应认定否决项。"
            )
            % {
                "cycle": rating.cycle,
                "date": timezone.localtime(rating.revoked_at).date(),
                "reason": rating.revocation_reason,
            }
        )
    overdue = Hazard.objects.overdue(timezone.localdate()).filter(
        unit_id=application.unit_id, severity=Hazard.Severity.MAJOR
    )
    for hazard in overdue:
        facts.append(
            _("重大隐患“%(hazard)s”整改期限 %(deadline)s 已过，至今未整改，应认定否决项。")
            % {"hazard": hazard.description, "deadline": hazard.deadline}
        )
    return facts


@register.inclusion_tag("linkage/_veto_facts.html")
def veto_facts(application):
    return {"facts": facts_against_no_veto(application)}
