"""Build applications at the evaluation stage directly (models + ``advance``), so the
evaluation tests do not depend on the self-assessment views."""

import datetime
from decimal import Decimal

from assessments.models import (
    Application,
    Assignment,
    Cycle,
    Expert,
    ScoringStandard,
    SelfScore,
    Status,
)
from assessments.services.evaluation import (
    ItemEntry,
    declare_no_conflict,
    save_and_sign_off,
)
from assessments.services.experts import assign_experts
from assessments.workflow import advance


def open_cycle() -> Cycle:
    cycle = Cycle.objects.current()
    if cycle is None:
        cycle = Cycle.objects.create(
            year=2026,
            name="2026年度",
            standard=ScoringStandard.objects.get(version="v1"),
            phase=Cycle.Phase.EVALUATION,
            pledge_deadline=datetime.date(2026, 3, 31),
            application_deadline=datetime.date(2026, 9, 30),
            comment_start=datetime.date(2026, 11, 1),
            comment_end=datetime.date(2026, 11, 15),
        )
    return cycle


def entries_totalling(standard, total: Decimal, finding: str = "") -> dict[int, ItemEntry]:
    """One score per item, each within 0..max, adding up to ``total``."""
    deficit = Decimal(100) - Decimal(total)
    entries = {}
    for item in standard.items():
        cut = min(deficit, item.max_points)
        deficit -= cut
        entries[item.pk] = ItemEntry(item.max_points - cut, finding)
    assert deficit == 0
    return entries


def accepted_application(unit, bureau, *, self_total=Decimal("100"), declared_vetoes=()):
    """An application of ``unit`` accepted by ``bureau``, its self-scores adding to self_total."""
    cycle = open_cycle()
    application = Application.objects.create(
        cycle=cycle,
        unit=unit,
        status=Status.SUBMITTED,
        self_report="本单位对照评分标准逐项自查，情况如下。",
        self_score_total=Decimal(self_total),
    )
    SelfScore.objects.bulk_create(
        SelfScore(application=application, item_id=pk, score=entry.score, notes="见附件")
        for pk, entry in entries_totalling(cycle.standard, self_total).items()
    )
    application.declared_vetoes.set(declared_vetoes)
    return advance(
        application=application, actor=bureau, name="accept", expected_status=Status.SUBMITTED
    )


def assign(application, bureau, *users) -> list[Assignment]:
    experts = [Expert.objects.get(user=user) for user in users]
    return assign_experts(application=application, experts=experts, actor=bureau)


def expert_for(user_factory, name: str):
    """A further expert with a login, for tests needing three."""
    from portal.models import Role

    user = user_factory(role=Role.EXPERT, username=name)
    Expert.objects.create(user=user, name=name, field="综合", qualification="工程师", phone="1")
    return user


def sign(assignment: Assignment, total, *, vetoes=None, finding=""):
    """The expert declares no conflict, scores every item to ``total`` and signs off."""
    declare_no_conflict(assignment)
    standard = assignment.application.cycle.standard
    return save_and_sign_off(
        assignment=assignment,
        actor=assignment.expert.user,
        items=entries_totalling(standard, Decimal(total), finding),
        vetoes=vetoes or {},
        overall_opinion="总体较好。",
    )


def evaluated_application(world, totals=("90.0",), **kwargs) -> Application:
    """Accepted, assigned to ``expert`` (and ``expert_other`` for a second total), all signed."""
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau, **kwargs)
    users = [world.users["expert"], world.users["expert_other"]][: len(totals)]
    assignments = assign(application, bureau, *users)
    for assignment, total in zip(assignments, totals, strict=True):
        sign(assignment, total)
    return Application.objects.get(pk=application.pk)
