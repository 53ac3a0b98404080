"""Reads of the assessments stage, always through the user: the role and the object decide, and a
miss is a 404 so that the existence of another unit's record is not revealed.

Sections: applications; pledges, implementation records and standards; expert evaluation and
the grade review; service ratings (好差评: an enterprise's own, the bureau's tickets, monthly
figures).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from assessments.models import (
    Application,
    Assignment,
    Cycle,
    Expert,
    ExpertScore,
    Kind,
    Pledge,
    ScoringStandard,
    ServiceRating,
    Status,
    WorkPlan,
)
from assessments.models.evaluation import LIVE_STATUS
from assessments.models.service_ratings import POOR
from portal.models import Role
from units.models import Unit, visible_units_q

# --- applications -------------------------------------------------------------------------

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


# --- pledges, implementation records, standards -------------------------------------------


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


# --- expert evaluation and grade review ---------------------------------------------------


def experts_with_load() -> QuerySet[Expert]:
    """The roster, each with ``load``: live assignments (``Assignment.objects.live()``)."""
    return Expert.objects.select_related("user").annotate(
        load=Count(
            "assignments",
            filter=Q(
                assignments__signed_off_at__isnull=True,
                assignments__application__status=LIVE_STATUS,
            )
            & (
                Q(assignments__application__cycle__is_open=True)
                | Q(assignments__application__kind=Kind.RERATING)
            ),
        )
    )


def get_expert(pk: int) -> Expert:
    """Bureau-only reads of the roster (the views declare the role)."""
    try:
        return experts_with_load().get(pk=pk)
    except Expert.DoesNotExist as error:
        raise Http404 from error


def expert_profile(user) -> Expert | None:
    return Expert.objects.filter(user=user).first() if user.role == Role.EXPERT else None


def assignments_for(user) -> QuerySet[Assignment]:
    """An expert's own assignments; nobody else's."""
    return Assignment.objects.filter(expert__user=user).select_related(
        "application__unit__area", "application__cycle", "expert"
    )


def get_assignment_for(user, pk: int) -> Assignment:
    try:
        return assignments_for(user).get(pk=pk)
    except Assignment.DoesNotExist as error:
        raise Http404 from error


def report_assignments(application: Application) -> list[Assignment]:
    """Signed assignments with their scores and veto findings, for the report and review."""
    return list(
        application.assignments.filter(signed_off_at__isnull=False)
        .select_related("expert")
        .prefetch_related(
            Prefetch("scores", queryset=ExpertScore.objects.order_by("item_id")),
            "veto_findings__veto_item",
        )
        .order_by("pk")
    )


def self_assessment(application: Application) -> dict[int, dict]:
    """Per standard item id: the enterprise's self-score, notes and evidence files."""
    rows: dict[int, dict] = {}
    for score in application.self_scores.all():
        rows[score.item_id] = {"score": score.score, "notes": score.notes, "evidence": []}
    for evidence in application.evidence.all():
        rows.setdefault(evidence.item_id, {"score": None, "notes": "", "evidence": []})
        rows[evidence.item_id]["evidence"].append(evidence)
    return rows


def report_context(application: Application) -> dict:
    """Everything the evaluation report shows, from the frozen evaluation."""
    from assessments.stars import star_for

    assignments = report_assignments(application)
    own = self_assessment(application)
    by_expert = [
        {score.item_id: score for score in assignment.scores.all()} for assignment in assignments
    ]
    rows = []
    for item in application.cycle.standard.items():
        marks = [scores.get(item.pk) for scores in by_expert]
        rows.append(
            {
                "item": item,
                "self_score": own.get(item.pk, {}).get("score"),
                "scores": [mark.score if mark else None for mark in marks],
                "findings": [
                    (assignment.expert.name, mark.finding)
                    for assignment, mark in zip(assignments, marks, strict=True)
                    if mark and mark.finding
                ],
            }
        )
    totals = [
        sum((row["scores"][i] or 0 for row in rows), start=0) for i in range(len(assignments))
    ]
    declared = set(application.declared_vetoes.values_list("pk", flat=True))
    vetoes = []
    for veto in application.cycle.standard.vetoes.all():
        found = [
            (assignment.expert.name, finding.evidence)
            for assignment in assignments
            for finding in assignment.veto_findings.all()
            if finding.veto_item_id == veto.pk
        ]
        vetoes.append({"veto": veto, "found": found, "declared": veto.pk in declared})
    preliminary = application.preliminary_score
    return {
        "application": application,
        "unit": application.unit,
        "cycle": application.cycle,
        "assignments": assignments,
        "rows": rows,
        "totals": totals,
        "expert_totals": list(zip(assignments, totals, strict=True)),
        "vetoes": vetoes,
        "vetoes_found": [row for row in vetoes if row["found"]],
        "preliminary_score": preliminary,
        "would_be_star": star_for(preliminary, application.has_veto)
        if preliminary is not None
        else None,
    }


# 好差评 (decision 0107)


def service_ratings_of_unit(user):
    return ServiceRating.objects.filter(unit_id=user.unit_id).order_by("score", "-finished_on")


def get_service_rating_for_enterprise(user, pk: int) -> ServiceRating:
    """The enterprise's own offered rating, or 404 (another unit's transaction is not found)."""
    try:
        return ServiceRating.objects.get(pk=pk, unit_id=user.unit_id)
    except ServiceRating.DoesNotExist as error:
        raise Http404 from error


def get_service_rating_ticket(pk: int) -> ServiceRating:
    try:
        return ServiceRating.objects.tickets().select_related("unit").get(pk=pk)
    except ServiceRating.DoesNotExist as error:
        raise Http404 from error


def service_rating_tickets():
    """Open tickets first, the earliest due first; answered ones after."""
    return (
        ServiceRating.objects.tickets()
        .select_related("unit")
        .order_by(F("answered_at").asc(nulls_first=True), "due_on", "pk")
    )


@dataclass
class ServiceRatingMonth:
    month: object
    rated: int
    average: float | None
    good: int
    poor: int
    answered_on_time: int

    @property
    def good_share(self) -> int:
        return round(100 * self.good / self.rated) if self.rated else 0


def service_rating_months(limit: int = 12) -> list[ServiceRatingMonth]:
    """Per month of rating, newest first: how many, the mean, good (4–5) and poor (1–2)
    ratings, and poor ones answered within their time limit."""
    rows = (
        ServiceRating.objects.rated()
        .annotate(month=TruncMonth("rated_on"))
        .values("month")
        .annotate(
            rated=Count("pk"),
            average=Avg("score"),
            good=Count("pk", filter=Q(score__gte=4)),
            poor=Count("pk", filter=Q(score__lte=POOR)),
            on_time=Count("pk", filter=Q(score__lte=POOR, answered_on__lte=F("due_on"))),
        )
        .order_by("-month")[:limit]
    )
    return [
        ServiceRatingMonth(
            month=row["month"],
            rated=row["rated"],
            average=round(float(row["average"]), 2) if row["average"] is not None else None,
            good=row["good"],
            poor=row["poor"],
            answered_on_time=row["on_time"],
        )
        for row in rows
    ]
