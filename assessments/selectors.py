"""Reads of applications, always through the user: role and object in one place."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from assessments.models import Application, Status
from portal.models import Role
from units.models import Unit

# Roles that see the records of the units they see (Unit.objects.visible_to decides which).
UNIT_SCOPED_ROLES = (Role.ENTERPRISE, Role.TOWNSHIP, Role.SUPERVISOR)

# From these states on, the municipal government reviews an application.
GOVERNMENT_STATES = (
    Status.SUBMITTED_TO_GOVERNMENT,
    Status.GOVERNMENT_RETURNED,
    Status.CONFIRMED,
    Status.PUBLISHED,
    Status.REVOKED,
)


def applications_for(user) -> QuerySet[Application]:
    """Applications this user may read.

    A draft that was never submitted is the enterprise's own working copy: nobody else reads
    it, or its evidence, until it is submitted (a returned application was submitted once).
    """
    queryset = Application.objects.select_related("unit", "cycle", "unit__area", "unit__industry")
    role = user.role
    if role != Role.ENTERPRISE:
        queryset = queryset.exclude(status=Status.DRAFT)
    if role == Role.BUREAU:
        return queryset
    if role in UNIT_SCOPED_ROLES:
        return queryset.filter(unit__in=Unit.objects.visible_to(user))
    if role == Role.EXPERT:
        return queryset.filter(assignments__expert__user=user).distinct()
    if role == Role.GOVERNMENT:
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
    if write and not (user.role == Role.ENTERPRISE and application.is_editable_by_enterprise):
        raise PermissionDenied
    return application


def evidence_for(user, application: Application):
    """The application's evidence this user may read: the enterprise all of it; others what was
    there when the application was last submitted (files added while it is back with the
    enterprise for corrections stay private until it is submitted again)."""
    evidence = application.evidence.all()
    if user.role != Role.ENTERPRISE and application.submitted_at is not None:
        evidence = evidence.filter(uploaded_at__lte=application.submitted_at)
    return evidence
