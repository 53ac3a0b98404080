"""Selectors for pledges, implementation records and standards (applications: selectors.py).

Each reads through the user: the role and the object decide, and a miss is a 404 so that the
existence of another unit's record is not revealed.
"""

from django.db.models import QuerySet
from django.http import Http404

from assessments.models import Cycle, Pledge, ScoringStandard, WorkPlan
from assessments.selectors import UNIT_SCOPED_ROLES
from portal.models import Role
from units.models import Unit


def pledges_for(user) -> QuerySet[Pledge]:
    """Pledges routed to this user: the unit's own, its township, its supervising department,
    and the bureau (which sees all)."""
    queryset = Pledge.objects.select_related(
        "unit", "unit__area", "unit__industry", "cycle", "submitted_by"
    )
    if user.role == Role.BUREAU:
        return queryset
    if user.role in UNIT_SCOPED_ROLES:
        return queryset.filter(unit__in=Unit.objects.visible_to(user))
    return queryset.none()


def get_pledge_for(user, pk: int) -> Pledge:
    try:
        return pledges_for(user).get(pk=pk)
    except Pledge.DoesNotExist as error:
        raise Http404 from error


def work_plans_for(user) -> QuerySet[WorkPlan]:
    """Implementation records are seen by the unit, its township and the bureau."""
    queryset = WorkPlan.objects.select_related("unit", "unit__area", "unit__industry", "cycle")
    if user.role == Role.BUREAU:
        return queryset
    if user.role == Role.TOWNSHIP:
        return queryset.filter(unit__area_id=user.area_id)
    if user.role == Role.ENTERPRISE:
        return queryset.filter(unit_id=user.unit_id)
    return queryset.none()


def get_implementation_unit_for(user, unit_pk: int):
    """The unit whose implementation records this user may read."""
    from units.models import Unit

    units = Unit.objects.select_related("area", "industry")
    if user.role == Role.TOWNSHIP:
        units = units.filter(area_id=user.area_id)
    elif user.role == Role.ENTERPRISE:
        units = units.filter(pk=user.unit_id)
    elif user.role != Role.BUREAU:
        units = units.none()
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
