"""The ratings stage in the demo: a completed 2025 cycle (published results, certificates, one
revocation) and, in the current cycle, applications graded, in publicity (with a comment and
an objection), submitted to the government and confirmed.

Applications are brought to "graded" through the real state machine (``advance``) with scores
written directly, so every later stage starts from what the earlier stages would have left.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from assessments.models import (
    Application,
    Assignment,
    Cycle,
    Expert,
    ExpertScore,
    ScoringStandard,
    SelfScore,
    Status,
)
from assessments.services import acceptance
from assessments.stars import star_for
from assessments.workflow import advance
from portal.models import Role, User
from ratings.models import Publication, PublicityBatch, Rating
from ratings.services import certificates, confirmation, publication, publicity
from units.models import Unit

from .units import demo_enterprise_unit

# 2025 results: the spread of a real year (about 40 units across every star level).
PREVIOUS_SCORES = (
    [Decimal(s) for s in ("97.5", "96.0", "95.0", "98.5", "95.5")]
    + [Decimal(s) for s in ("94.9", "92.0", "90.5", "88.0", "86.5", "85.0", "91.0", "89.5")] * 2
    + [Decimal(s) for s in ("84.9", "82.0", "79.5", "77.0", "75.0", "80.5", "83.0")] * 2
    + [Decimal(s) for s in ("72.0", "68.5", "74.9")]
)


TENTH = Decimal("0.1")


def split_score(score: Decimal, maxima: list[Decimal]) -> list[Decimal]:
    """Item scores in proportion to each item's maximum that add up to ``score`` exactly.

    Each share is rounded down to a tenth, then the tenths left over go one at a time to the
    items that lost most in rounding (and still have room), so no single item has to take a
    remainder larger than it can hold.
    """
    total = sum(maxima)
    if not Decimal(0) <= score <= total:
        raise ValueError(f"score {score} outside 0..{total}")
    exact = [maximum * score / total for maximum in maxima]
    shares = [value.quantize(TENTH, rounding=ROUND_DOWN) for value in exact]
    by_loss = sorted(range(len(maxima)), key=lambda i: exact[i] - shares[i], reverse=True)
    left = round((score - sum(shares)) / TENTH)
    while left > 0:
        for index in by_loss:
            if left and shares[index] + TENTH <= maxima[index]:
                shares[index] += TENTH
                left -= 1
    return shares


def enterprise_user(unit: Unit) -> User:
    user = unit.users.filter(role=Role.ENTERPRISE).first()
    if user is None:
        user = User.objects.create(
            username=f"unit-{unit.pk}",
            role=Role.ENTERPRISE,
            unit=unit,
            display_name=f"{unit.name}经办人",
        )
        user.set_unusable_password()
        user.save()
    return user


def expert_user() -> User:
    expert = Expert.objects.filter(user__isnull=False).select_related("user").first()
    if expert is not None:
        return expert.user
    user = User.objects.create(username="demo-expert", role=Role.EXPERT, display_name="演示专家")
    Expert.objects.create(
        user=user,
        name="演示专家",
        field="综合",
        qualification="注册安全工程师",
        phone="13800000000",
    )
    return user


def graded_application(
    cycle: Cycle, unit: Unit, score: Decimal, *, bureau: User, expert: User, has_veto=False
) -> Application:
    """An application taken from draft to graded through ``advance``, scored to ``score``."""
    application = Application.objects.create(
        cycle=cycle, unit=unit, self_report="本单位已按评分标准逐项自查，自查报告见附件。"
    )
    items = list(cycle.standard.items())
    item_scores = split_score(score, [item.max_points for item in items])
    SelfScore.objects.bulk_create(
        SelfScore(application=application, item=item, score=min(item.max_points, s + 1))
        for item, s in zip(items, item_scores, strict=True)
    )
    advance(application=application, actor=enterprise_user(unit), name="submit")
    acceptance.accept(
        application=application, actor=bureau, expected_status=Status.SUBMITTED
    )  # numbers the receipt
    advance(application=application, actor=bureau, name="start_evaluation")
    assignment = Assignment.objects.create(
        application=application, expert=expert.expert_profile, assigned_by=bureau
    )
    ExpertScore.objects.bulk_create(
        ExpertScore(assignment=assignment, item=item, score=s)
        for item, s in zip(items, item_scores, strict=True)
    )
    advance(application=application, actor=expert, name="complete_evaluation")
    total = sum(item_scores)

    def set_grade(locked: Application) -> None:
        locked.preliminary_score = total
        locked.comprehensive_score = total
        locked.has_veto = has_veto
        locked.star = star_for(total, has_veto)
        locked.evaluated_at = locked.graded_at = timezone.now()

    return advance(application=application, actor=bureau, name="grade", before_save=set_grade)


def demo_cycle(year: int, *, is_open: bool) -> Cycle:
    cycle = Cycle.objects.filter(year=year).first()
    if cycle is not None:
        return cycle
    return Cycle.objects.create(
        year=year,
        name=f"{year}年度",
        standard=ScoringStandard.objects.order_by("created_at").first(),
        phase=Cycle.Phase.DETERMINATION if is_open else Cycle.Phase.CLOSED,
        is_open=is_open and Cycle.objects.current() is None,
        pledge_deadline=datetime.date(year, 3, 31),
        application_deadline=datetime.date(year, 9, 30),
        comment_start=datetime.date(year, 11, 20),
        comment_end=datetime.date(year, 11, 30),
    )


def _free_units(cycle: Cycle, count: int, prefer: Unit | None = None) -> list[Unit]:
    taken = Application.objects.filter(cycle=cycle).values("unit_id")
    free = Unit.objects.filter(status=Unit.Status.APPROVED).exclude(pk__in=taken).order_by("pk")
    units = list(free[: count + 1])
    if prefer is not None and prefer in units:
        units.remove(prefer)
        units.insert(0, prefer)
    return units[:count]


def previous_cycle(bureau: User, expert: User, out) -> None:
    cycle = demo_cycle(2025, is_open=False)
    if Rating.objects.filter(cycle=cycle).exists():
        return
    units = _free_units(cycle, len(PREVIOUS_SCORES), prefer=None)
    graded = [
        graded_application(cycle, unit, score, bureau=bureau, expert=expert, has_veto=index == 7)
        for index, (unit, score) in enumerate(zip(units, PREVIOUS_SCORES, strict=False))
    ]
    start = timezone.now() - datetime.timedelta(days=380)
    batch = publicity.open_batch(
        cycle=cycle,
        applications=graded,
        title="2025年度安全生产诚信等级评定结果公示",
        starts_at=start,
        ends_at=timezone.now() + datetime.timedelta(minutes=1),
        actor=bureau,
    )
    PublicityBatch.objects.filter(pk=batch.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(days=7)
    )
    submission = confirmation.submit_to_government(
        batch=batch, items=list(batch.items.all()), note="请予确认。", actor=bureau
    )
    government = User.objects.filter(role=Role.GOVERNMENT).first()
    confirmation.decide(
        submission=submission,
        items=list(submission.items.all()),
        confirm=True,
        reason="同意。",
        actor=government,
    )
    published = Publication.objects.create(
        cycle=cycle,
        publish_on=datetime.date(2025, 12, 20),
        document_number=58,
        created_by=bureau,
    )
    published.applications.set([item.application for item in batch.items.all()])
    publication.publish(published)
    certificates.issue_certificates(published)
    revoked = Rating.objects.filter(cycle=cycle, star=4).order_by("unit__name").first()
    publication.revoke(
        rating=revoked,
        reason="该单位于2026年3月发生一起生产安全事故，造成一人死亡，依据评定办法撤销其星级。",
        actor=bureau,
    )
    out(f"2025年度：已公布 {len(graded)} 家单位的评定结果并发放证书，其中 1 家已撤销。")


def current_cycle(bureau: User, expert: User, out) -> None:
    cycle = Cycle.objects.current() or demo_cycle(timezone.localdate().year, is_open=True)
    if PublicityBatch.objects.filter(cycle=cycle).exists():
        return
    government = User.objects.filter(role=Role.GOVERNMENT).first()
    units = _free_units(cycle, 12, prefer=demo_enterprise_unit())
    scores = [Decimal(s) for s in ("88.5", "96.0", "79.0", "91.5", "72.5", "95.5", "86.0")]
    scores += [Decimal(s) for s in ("84.0", "93.0", "97.0", "81.5", "89.0")]
    apps = [
        graded_application(cycle, unit, score, bureau=bureau, expert=expert)
        for unit, score in zip(units, scores, strict=True)
    ]
    now = timezone.now()
    # Closed window: submitted, then some confirmed.
    closed = publicity.open_batch(
        cycle=cycle,
        applications=apps[7:12],
        title=f"{cycle.name}安全生产诚信等级评定结果公示（第一批）",
        starts_at=now - datetime.timedelta(days=10),
        ends_at=now + datetime.timedelta(minutes=1),
        actor=bureau,
    )
    PublicityBatch.objects.filter(pk=closed.pk).update(ends_at=now - datetime.timedelta(days=3))
    submission = confirmation.submit_to_government(
        batch=closed, items=list(closed.items.all()), note="第一批，请予确认。", actor=bureau
    )
    confirmation.decide(
        submission=submission,
        items=list(submission.items.all()[:3]),
        confirm=True,
        reason="同意。",
        actor=government,
    )
    # Open window with a comment and an objection on the demo enterprise's unit.
    open_batch = publicity.open_batch(
        cycle=cycle,
        applications=apps[0:4],
        title=f"{cycle.name}安全生产诚信等级评定结果公示（第二批）",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=6),
        actor=bureau,
    )
    item = open_batch.items.get(application=apps[0])
    publicity.submit_comment(
        item=item,
        content="该单位厂区东侧消防通道长期堆放原料，建议核实后再评定等级。",
        contact_name="王先生",
        contact_phone="13700001234",
    )
    publicity.object_to_grade(
        item=item,
        reasons="本单位安全培训台账齐全，专家评估时漏看第二季度培训记录，申请复核“文化建设”得分。",
        evidence=None,
        evidence_type="",
        actor=enterprise_user(item.application.unit),
    )
    out(
        f"{cycle.name}：已拟定等级 {len(apps[4:7])} 家，公示中 4 家（含 1 条意见、1 项异议），"
        "报市政府确认 2 家，已确认 3 家。"
    )


def run(out) -> None:
    bureau = User.objects.filter(role=Role.BUREAU).order_by("pk").first()
    expert = expert_user()
    previous_cycle(bureau, expert, out)
    current_cycle(bureau, expert, out)
    enterprise_reply(bureau, out)


def enterprise_reply(bureau: User, out) -> None:
    """A reply the bureau published beside a current result of a unit with an account."""
    from ratings.models import RatingReply
    from ratings.services import replies

    if RatingReply.objects.exists():
        return
    enterprises = User.objects.filter(role=Role.ENTERPRISE, unit__isnull=False)
    rating = (
        Rating.objects.current()
        .in_force()
        .filter(unit__in=enterprises.values("unit"))
        .order_by("pk")
        .first()
    )
    if rating is None:
        return
    author = enterprises.filter(unit=rating.unit_id).first()
    reply = replies.submit(
        user=author,
        rating=rating,
        text="本单位已对评估中指出的问题逐项整改，整改报告可向本单位索取，欢迎社会监督。",
    )
    replies.decide(actor=bureau, reply=reply, action=replies.PUBLISH)
    out(f"企业回应：{rating.unit.name} 的回应已审核公开 ✓")
