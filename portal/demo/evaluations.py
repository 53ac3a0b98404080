"""Demo of expert evaluation and the grade review, in the open cycle:
applications accepted and awaiting experts, some under evaluation by the demo experts
``expert`` and ``expert2``, and some evaluated and awaiting the grade review (one flagged for a
self-score far above the experts', one for a veto the enterprise did not declare)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import (
    Application,
    Assignment,
    Cycle,
    Expert,
    ScoringStandard,
    SelfScore,
    Status,
)
from assessments.services import acceptance
from assessments.services.evaluation import (
    ItemEntry,
    declare_no_conflict,
    save_and_sign_off,
    save_draft,
)
from assessments.services.experts import assign_experts
from portal.models import User
from units.models import Unit

from .units import demo_enterprise_unit

# (self-score total, expert totals or None, what happens)
PLAN = [
    ("92.0", None, "accepted"),
    ("88.5", None, "accepted"),
    ("79.0", None, "accepted"),
    ("90.0", ("88.0", "86.5"), "draft"),
    ("86.0", ("84.0", "85.0"), "one_signed"),
    ("95.0", ("94.0", "95.0"), "assigned"),
    ("97.5", ("96.0", "95.5"), "evaluated"),
    ("86.0", ("85.0", "84.9"), "evaluated"),  # 84.95 → 85.0: four stars
    ("98.0", ("82.0", "83.5"), "evaluated"),  # gap of 15.3 points: flagged
    ("84.0", ("83.0", "81.0"), "veto"),  # a veto the enterprise did not declare: flagged
]
FINDINGS = {
    "1.5": "制度修订记录不完整",
    "4.4": "应急演练记录缺少评估总结",
    "5.2": "隐患台账个别条目未闭环",
}


def _cycle() -> Cycle:
    cycle = Cycle.objects.current()
    if cycle is None:
        cycle = Cycle.objects.create(
            year=timezone.localdate().year,
            name=f"{timezone.localdate().year}年度",
            standard=ScoringStandard.objects.order_by("created_at").first(),
            phase=Cycle.Phase.EVALUATION,
            pledge_deadline=datetime.date(timezone.localdate().year, 3, 31),
            application_deadline=datetime.date(timezone.localdate().year, 9, 30),
            comment_start=datetime.date(timezone.localdate().year, 11, 1),
            comment_end=datetime.date(timezone.localdate().year, 11, 15),
        )
    return cycle


def _entries(standard, total: Decimal, with_findings: bool) -> dict[int, ItemEntry]:
    """Scores within each item's maximum adding up to ``total``; deductions spread from the end."""
    deficit = Decimal(100) - total
    entries = {}
    for item in reversed(list(standard.items())):
        cut = min(deficit, (item.max_points / 2).quantize(Decimal("0.1")))
        deficit -= cut
        finding = FINDINGS.get(item.code, "") if with_findings and cut else ""
        entries[item.pk] = ItemEntry(item.max_points - cut, finding)
    return entries


def run(out) -> None:
    cycle = _cycle()
    if Assignment.objects.filter(application__cycle=cycle).exists():
        out("评估演示数据已存在，跳过。")
        return
    bureau = User.objects.get(username="bureau")
    experts = [Expert.objects.get(user__username=name) for name in ("expert", "expert2")]
    taken = Application.objects.filter(cycle=cycle).values("unit")
    units = (
        Unit.objects.filter(status=Unit.Status.APPROVED)
        .exclude(pk=demo_enterprise_unit().pk)
        .exclude(pk__in=taken)
        .order_by("pk")[: len(PLAN)]
    )
    standard = cycle.standard
    veto = standard.vetoes.order_by("order").last()
    for unit, (self_total, totals, fate) in zip(units, PLAN, strict=False):
        application = Application.objects.create(
            cycle=cycle,
            unit=unit,
            status=Status.SUBMITTED,
            self_report="本单位对照评分标准逐项开展自查，制度、组织、文化、保障和监督各方面情况详见各项说明。",
            self_score_total=Decimal(self_total),
            submitted_at=timezone.now(),
        )
        SelfScore.objects.bulk_create(
            SelfScore(application=application, item_id=pk, score=entry.score, notes="已按要求落实")
            for pk, entry in _entries(standard, Decimal(self_total), False).items()
        )
        acceptance.accept(
            application=application, actor=bureau, expected_status=Status.SUBMITTED
        )  # numbers the receipt
        if totals is None:
            continue
        assignments = assign_experts(application=application, experts=experts, actor=bureau)
        for index, (assignment, total) in enumerate(zip(assignments, totals, strict=True)):
            if fate == "assigned" or (fate == "one_signed" and index == 1):
                continue
            declare_no_conflict(assignment)
            entries = _entries(standard, Decimal(total), True)
            vetoes = (
                {veto.pk: "现场核查发现未取得相应安全生产许可即开展生产。"}
                if fate == "veto" and index == 0
                else {}
            )
            if fate == "draft":
                save_draft(assignment=assignment, items=entries, vetoes={}, overall_opinion="")
            else:
                save_and_sign_off(
                    assignment=assignment,
                    actor=assignment.expert.user,
                    items=entries,
                    vetoes=vetoes,
                    overall_opinion="安全管理总体规范。",
                )
    counts = {
        status: Application.objects.filter(cycle=cycle, status=status).count()
        for status in (Status.ACCEPTED, Status.UNDER_EVALUATION, Status.EVALUATED)
    }
    out(
        "评估演示：待指派专家 %(a)d 件，专家评估中 %(u)d 件，待等级考评 %(e)d 件。"
        % {
            "a": counts[Status.ACCEPTED],
            "u": counts[Status.UNDER_EVALUATION],
            "e": counts[Status.EVALUATED],
        }
    )
