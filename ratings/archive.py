"""The ratings stage's entries in a unit's integrity archive, per disclosure level (SPEC §5).

Public: the star, the certificate number and validity, revocations with their reason.
Departments: also the comprehensive score and veto. Full: also the comments answered during
publicity (content and answer; a commenter's contact details never appear in the archive).
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.archive import Disclosure, TimelineEntry
from portal.models import Role

from .models import Comment, Rating


def entries(unit, level: Disclosure, user) -> list[TimelineEntry]:
    collected: list[TimelineEntry] = []
    ratings = Rating.objects.filter(unit=unit).select_related("cycle", "certificate")
    for rating in ratings:
        detail = rating.get_star_display()
        if level >= Disclosure.DEPARTMENT:
            detail += _("；综合考评得分 %(s)s") % {"s": rating.comprehensive_score}
            if rating.has_veto:
                detail += _("；存在否决项")
        url = ""
        if level == Disclosure.FULL and user is not None and user.is_authenticated:
            if user.role in (Role.BUREAU, Role.ENTERPRISE):
                url = reverse("ratings:rating_detail", args=[rating.pk])
        collected.append(
            TimelineEntry(
                date=rating.published_on,
                title=_("%(cycle)s评定结果公布") % {"cycle": rating.cycle},
                detail=detail,
                url=url,
                kind="rating",
            )
        )
        certificate = getattr(rating, "certificate", None)
        if certificate is not None:
            collected.append(
                TimelineEntry(
                    date=certificate.issued_on,
                    title=_("颁发证书 %(n)s") % {"n": certificate.number},
                    detail=_("有效期至 %(d)s；当前状态：%(s)s")
                    % {"d": certificate.valid_until, "s": certificate.get_state_display()},
                    url=reverse("public_ratings:verify", args=[certificate.verification_code]),
                    kind="certificate",
                )
            )
        if rating.is_revoked:
            collected.append(
                TimelineEntry(
                    date=timezone.localtime(rating.revoked_at).date(),
                    title=_("%(cycle)s评级结果撤销") % {"cycle": rating.cycle},
                    detail=rating.revocation_reason,
                    kind="revocation",
                )
            )
    if level == Disclosure.FULL:
        answered = Comment.objects.filter(
            item__application__unit=unit, answered_at__isnull=False
        ).select_related("item__batch")
        for comment in answered:
            collected.append(
                TimelineEntry(
                    date=timezone.localtime(comment.answered_at).date(),
                    title=_("公示%(kind)s已答复：%(d)s")
                    % {"kind": comment.get_kind_display(), "d": comment.get_decision_display()},
                    detail=f"{comment.content[:200]} — {comment.answer[:200]}",
                    kind="comment",
                )
            )
    return collected
