"""Archive entries of stage 1–3: pledges, applications, application forms and receipts.

These are working documents of the unit, not part of the public disclosure (SPEC §5): only
viewers with full disclosure (the unit, its township and supervising department, the bureau,
the government) see them, and a link is given only where that viewer may open it.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.archive import Disclosure, TimelineEntry

from .models import Application, Pledge, Status
from .selectors import applications_for, pledges_for


def entries(unit, level: Disclosure, user) -> list[TimelineEntry]:
    if level < Disclosure.FULL or user is None or not user.is_authenticated:
        return []
    collected: list[TimelineEntry] = []
    readable_pledges = set(pledges_for(user).filter(unit=unit).values_list("pk", flat=True))
    for pledge in Pledge.objects.filter(unit=unit).select_related("cycle"):
        collected.append(
            TimelineEntry(
                date=pledge.signed_on,
                title=_("签署%(cycle)s安全生产诚信建设承诺书") % {"cycle": pledge.cycle},
                detail=_("签署人：%(name)s") % {"name": pledge.signatory},
                url=reverse("assessments:pledge_pdf", args=[pledge.pk])
                if pledge.pk in readable_pledges
                else "",
                kind="pledge",
            )
        )
    readable = set(applications_for(user).filter(unit=unit).values_list("pk", flat=True))
    applications = Application.objects.filter(unit=unit, submitted_at__isnull=False).select_related(
        "cycle"
    )
    for application in applications:
        can_open = application.pk in readable
        if application.is_rerating:
            collected.append(
                TimelineEntry(
                    date=timezone.localdate(application.submitted_at),
                    title=_("申请%(cycle)s结果整改后重新评级") % {"cycle": application.cycle},
                    detail=application.get_status_display(),
                    url="",
                    kind="application",
                )
            )
        elif application.status not in (Status.DRAFT, Status.RETURNED):
            collected.append(
                TimelineEntry(
                    date=timezone.localdate(application.submitted_at),
                    title=_("提交%(cycle)s评估申请表") % {"cycle": application.cycle},
                    detail=_("自评得分：%(score)s分") % {"score": application.self_score_total},
                    url=reverse("assessments:application_form_pdf", args=[application.pk])
                    if can_open
                    else "",
                    kind="application",
                )
            )
        if application.receipt_number:
            collected.append(
                TimelineEntry(
                    date=timezone.localdate(application.accepted_at),
                    title=_("重新评级申请已受理")
                    if application.is_rerating
                    else _("评估申请已受理"),
                    detail=application.receipt_number,
                    url=reverse("assessments:receipt_pdf", args=[application.pk])
                    if can_open
                    else "",
                    kind="receipt",
                )
            )
    return collected
