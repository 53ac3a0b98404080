"""Selectors for pledges, implementation records and standards (applications: selectors.py).

Each reads through the user: the role and the object decide, and a miss is a 404 so that the
existence of another unit's record is not revealed.
"""

from django.db.models import QuerySet
from django.http import Http404

from assessments.models import Cycle, Pledge, ScoringStandard, WorkPlan
from assessments.selectors import UNIT_SCOPED_ROLES
from portal.models import Role
from units.models import Unit, visible_units_q

# Who reads implementation records (work plans and monthly checks), each for the units they see.
IMPLEMENTATION_READERS = (Role.BUREAU, Role.TOWNSHIP, Role.ENTERPRISE)


def pledges_for(user) -> QuerySet[Pledge]:
    """Pledges routed to this user: the unit's own, its township, its supervising department,
    and the bureau (which sees all)."""
    queryset = Pledge.objects.select_related(
        "unit", "unit__area", "unit__industry", "cycle", "submitted_by"
    )
    if user.role != Role.BUREAU and user.role not in UNIT_SCOPED_ROLES:
        return queryset.none()
    return queryset.filter(visible_units_q(user, "unit"))


def get_pledge_for(user, pk: int) -> Pledge:
    try:
        return pledges_for(user).get(pk=pk)
    except Pledge.DoesNotExist as error:
        raise Http404 from error


def work_plans_for(user) -> QuerySet[WorkPlan]:
    """Implementation records are seen by the unit, its township and the bureau."""
    queryset = WorkPlan.objects.select_related("unit", "unit__area", "unit__industry", "cycle")
    if user.role not in IMPLEMENTATION_READERS:
        return queryset.none()
    return queryset.filter(visible_units_q(user, "unit"))


def get_implementation_unit_for(user, unit_pk: int):
    """The unit whose implementation records this user may read."""
    units = Unit.objects.select_related("area", "industry")
    if user.role not in IMPLEMENTATION_READERS:
        units = units.none()
    units = units.visible_to(user)
    try:
        return units.get(pk=unit_pk)
    except Unit.DoesNotExist as error:
        raise Http404 from error


def get_cycle(pk: int) -> Cycle:
    try:
        return Cycle.objects.select_related("standard").get(pk=pk)
    except Cycle.DoesNotExist as error:
        raise Http404 from error


def get_standard(pk: int) -> ScoringStandard:
    try:
        return ScoringStandard.objects.get(pk=pk)
    except ScoringStandard.DoesNotExist as error:
        raise Http404 from error


def current_cycle_or_404() -> Cycle:
    cycle = Cycle.objects.select_related("standard").filter(is_open=True).first()
    if cycle is None:
        raise Http404
    return cycle
