"""Reads for expert evaluation and the grade review, always through the user."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from assessments.models import Application, Assignment, Expert, ExpertScore
from assessments.models.evaluation import LIVE_STATUS
from portal.models import Role


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
                | Q(assignments__application__kind="rerating")
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
