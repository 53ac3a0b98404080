"""The signed-in user's dashboard: what awaits them in every stage.

This is project glue: it imports each stage's dashboard module directly (the stages know
nothing of each other's sections, and nothing below imports this module).
"""

from django.shortcuts import render

from assessments import dashboard as assessments_dashboard
from assessments import dashboard_evaluation
from linkage import dashboard as linkage_dashboard
from portal import dashboard_admin
from portal.access import signed_in
from portal.dashboard import Section, services_section
from portal.models import Role
from ratings import dashboard as ratings_dashboard
from units import dashboard as units_dashboard

# Each returns the sections it has for a user (``sections(user) -> list[Section]``), in this order.
CONTRIBUTORS = (
    units_dashboard.sections,
    assessments_dashboard.sections,
    dashboard_evaluation.sections,
    ratings_dashboard.sections,
    linkage_dashboard.sections,
    assessments_dashboard.service_rating_sections,
    dashboard_admin.sections,
)


def sections_for(user) -> list[Section]:
    collected: list[Section] = []
    for sections in CONTRIBUTORS:
        collected.extend(sections(user))
    if user.role == Role.BUREAU:
        # The bureau has a dozen queues; a card per empty queue hides the one with work in it.
        collected = services_section() + [s for s in collected if s.entries or s.template]
    return collected


@signed_in
def dashboard(request):
    return render(request, "portal/dashboard.html", {"sections": sections_for(request.user)})
