"""Reads of applications, always through the user: role and object in one place."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from assessments.models import Application, Status
from units.models import Unit

# Roles that see the records of the units they see (Unit.objects.visible_to decides which).
UNIT_SCOPED_ROLES = ("enterprise", "township", "supervisor")

# From these states on, the municipal government reviews an application.
GOVERNMENT_STATES = (
    Status.SUBMITTED_TO_GOVERNMENT,
    Status.GOVERNMENT_RETURNED,
    Status.CONFIRMED,
    Status.PUBLISHED,
    Status.REVOKED,
)


def applications_for(user) -> QuerySet[Application]:
    """Applications this user may read."""
    queryset = Application.objects.select_related("unit", "cycle", "unit__area", "unit__industry")
    role = user.role
    if role == "bureau":
        return queryset
    if role in UNIT_SCOPED_ROLES:
        return queryset.filter(unit__in=Unit.objects.visible_to(user))
    if role == "expert":
        return queryset.filter(assignments__expert__user=user).distinct()
    if role == "government":
        return queryset.filter(status__in=GOVERNMENT_STATES)
    return queryset.none()


def get_application_for(user, pk: int, *, write: bool = False) -> Application:
    """The application if this user may read it (404 otherwise, so existence is not revealed).

    ``write=True`` is for the enterprise's own edits: it also requires that the application is
    still editable (draft or returned) and raises PermissionDenied otherwise.
    """
    try:
        application = applications_for(user).get(pk=pk)
    except Application.DoesNotExist as error:
        raise Http404 from error
    if write and not (user.role == "enterprise" and application.is_editable_by_enterprise):
        raise PermissionDenied
    return application
