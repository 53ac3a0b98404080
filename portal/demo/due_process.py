"""Due process in the demo (issue #16): each right with a case in it, so every page has rows.

A three-star unit's re-rating request waits for the bureau's acceptance; a second enterprise
reply waits for review (``publications`` published the first); a no-star unit past its shortest
display period has applied for credit repair and waits for a decision, while another could apply
today; finished services are rated, two of them 1–2 (one ticket answered, one open), so the
statistics page has the month's figures and the bureau's dashboard an open ticket.

Every case goes through the service the pages use; each part is skipped once it exists.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import ServiceRating
from assessments.services.service_ratings import answer_ticket, rate
from assessments.uploads import check_upload
from portal.models import Role, User
from ratings.models import Listing, Rating, RatingReply, RepairRequest, Rerating
from ratings.services import repair, replies, rerating
from units.models import Unit

from .publications import enterprise_user

# A well-formed PDF without pages: the demo's evidence is about the workflow, not the file.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# (score, comment, the bureau's answer for a poor score or "" to leave the ticket open)
SERVICE_RATINGS = (
    (5, "证书当天就能下载，核验码扫码即查，很方便。", ""),
    (5, "", ""),
    (4, "受理回执编号清楚，希望短信也能提醒。", ""),
    (3, "", ""),
    (
        2,
        "电话咨询时被转了三次才找到经办人。",
        "已将各事项经办人及电话在办事指南中公开，并安排专人接听咨询电话。",
    ),
    (1, "证书纸质版邮寄地址填错后无法在线修改，只能到窗口办理。", ""),
)


def _evidence(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _bureau() -> User:
    return User.objects.filter(role=Role.BUREAU, username="bureau").first() or (
        User.objects.filter(role=Role.BUREAU).order_by("pk").first()
    )


def _current(queryset):
    return (
        queryset.current().in_force().select_related("unit", "cycle").order_by("unit__credit_code")
    )


def pending_rerating(out) -> None:
    if Rerating.objects.exists():
        return
    for rating in _current(Rating.objects.filter(star=3)):
        if rerating.availability(rating).allowed:
            break
    else:
        return
    rerating.request(
        rating=rating,
        actor=enterprise_user(rating.unit),
        statement=(
            "针对评估指出的应急演练记录缺少评估总结、隐患台账个别条目未闭环等问题，"
            "本单位已于整改期限内逐项整改，并经安全管理部门验收，整改验收记录见附件。"
        ),
        files=[check_upload(_evidence("整改验收记录.pdf"))],
    )
    out(f"重新评级：{rating.unit.name} 的申请待监管局受理 ✓")


def pending_reply(out) -> None:
    if RatingReply.objects.pending().exists():
        return
    answered = RatingReply.objects.values("rating__unit")
    for rating in _current(Rating.objects.filter(star__gte=3).exclude(unit__in=answered)):
        if replies.can_reply_to(rating):
            break
    else:
        return
    replies.submit(
        user=enterprise_user(rating.unit),
        rating=rating,
        text="本单位对评定结果无异议，将以此次评定为契机，继续完善隐患排查治理和全员安全培训。",
    )
    out(f"企业回应：{rating.unit.name} 的回应待监管局审核 ✓")


def credit_repair(out) -> None:
    """One listed unit past its shortest period applies; the others can apply today."""
    if RepairRequest.objects.exists():
        return
    today = timezone.localdate()
    listings = Listing.objects.select_related("unit").order_by("unit__credit_code")
    open_listings = [one for one in listings if not repair.repair_closed_reason(one, today)]
    if not open_listings:
        return
    listing = open_listings[0]
    repair.apply_for_repair(
        listing=listing,
        statement=(
            "本单位已按要求完成全部事故隐患整改并通过验收，补齐安全培训台账，"
            "主要负责人和安全管理人员已重新参加安全生产知识考核并合格。"
        ),
        evidence=_evidence("信用修复整改证明.pdf"),
        evidence_type="application/pdf",
        actor=enterprise_user(listing.unit),
    )
    out(
        f"信用修复：{listing.unit.name} 的申请待监管局决定；"
        f"另有 {len(open_listings) - 1} 家已满最短公示期、可以申请 ✓"
    )


def service_ratings(out) -> None:
    if ServiceRating.objects.rated().exists():
        return
    with_accounts = Unit.objects.filter(users__role=Role.ENTERPRISE)
    offered = list(
        ServiceRating.objects.awaiting()
        .filter(unit__in=with_accounts)
        .select_related("unit")
        .order_by("kind", "pk")[: len(SERVICE_RATINGS)]
    )
    bureau = _bureau()
    for offer, (score, comment, answer) in zip(offered, SERVICE_RATINGS, strict=False):
        rated = rate(rating=offer, score=score, comment=comment, actor=enterprise_user(offer.unit))
        if answer:
            answer_ticket(rating=rated, answer=answer, actor=bureau)
    out(
        "好差评：已评价 %d 项，差评工单 %d 件（待答复 %d 件）✓"
        % (
            ServiceRating.objects.rated().count(),
            ServiceRating.objects.tickets().count(),
            ServiceRating.objects.open_tickets().count(),
        )
    )


def run(out) -> None:
    pending_rerating(out)
    pending_reply(out)
    credit_repair(out)
    service_ratings(out)
