"""Expert evaluation: the bureau assigns experts; each expert declares, scores and signs."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.forms import DeclarationForm, ScoringForm
from assessments.models import Assignment, ConflictOfInterest, Expert
from assessments.models.applications import ASSIGNABLE_STATES
from assessments.selectors import (
    applications_for,
    assignments_for,
    experts_with_load,
    get_application_for,
    get_assignment_for,
    report_context,
    self_assessment,
)
from assessments.services.evaluation import (
    declare_no_conflict,
    save_and_sign_off,
    save_draft,
    withdraw_for_conflict,
)
from assessments.services.experts import assign_experts
from portal.pdf import pdf_response, render_pdf
from portal.refusals import Refused

from .access import allowed


@allowed
def board(request):
    """Accepted applications and those under evaluation, with who is assigned."""
    applications = (
        applications_for(request.user)
        .filter(status__in=ASSIGNABLE_STATES)
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("expert"))
        )
        .order_by("status", "accepted_at", "pk")
    )
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    return render(request, "evaluation/board.html", {"page": page})


@allowed
def assign(request, pk):
    application = get_application_for(request.user, pk)
    status = 200
    if request.method == "POST":
        chosen = Expert.objects.filter(pk__in=request.POST.getlist("experts")).select_related(
            "user"
        )
        try:
            assign_experts(application=application, experts=chosen, actor=request.user)
        except Refused as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("已指派专家，评估开始。"))
            return redirect("evaluation:assign", pk=application.pk)
    conflicted = set(
        ConflictOfInterest.objects.filter(unit_id=application.unit_id).values_list(
            "expert_id", flat=True
        )
    )
    current = application.assignments.select_related("expert").order_by("pk")
    assigned = {assignment.expert_id for assignment in current}
    experts = [
        {"expert": expert, "conflicted": expert.pk in conflicted, "assigned": expert.pk in assigned}
        for expert in experts_with_load().filter(is_active=True).order_by("load", "name")
    ]
    return render(
        request,
        "evaluation/assign.html",
        {
            "application": application,
            "experts": experts,
            "assignments": current,
            "can_assign": application.awaits_experts,
            "chosen": request.POST.getlist("experts"),
        },
        status=status,
    )


@allowed
def worklist(request):
    assignments = assignments_for(request.user)
    return render(
        request,
        "evaluation/worklist.html",
        {
            "open": assignments.live().order_by("assigned_at"),
            "finished": assignments.finished().order_by(
                "-application__cycle__year", "-signed_off_at", "-assigned_at"
            ),
        },
    )


def _scoring_form(assignment, data=None, signing=False) -> ScoringForm:
    standard = assignment.application.cycle.standard
    scores = {score.item_id: score for score in assignment.scores.all()}
    return ScoringForm(
        data,
        items=standard.items(),
        vetoes=standard.vetoes.all(),
        scores={pk: score.score for pk, score in scores.items()},
        findings={pk: score.finding for pk, score in scores.items()},
        found={f.veto_item_id: f.evidence for f in assignment.veto_findings.all()},
        signing=signing,
        initial={"overall_opinion": assignment.overall_opinion},
    )


@allowed
def assignment_detail(request, pk):
    """The scoring form (GET shows it; POST saves a draft or signs off)."""
    assignment = get_assignment_for(request.user, pk)
    application = assignment.application
    editable = assignment.is_live
    if editable and assignment.no_conflict_declared_at is None:
        if request.method == "POST":
            return redirect("evaluation:assignment", pk=assignment.pk)
        return render(
            request,
            "evaluation/declaration.html",
            {"assignment": assignment, "application": application, "form": DeclarationForm()},
        )
    status = 200
    if request.method == "POST" and editable:
        signing = request.POST.get("action") == "sign"
        form = _scoring_form(assignment, request.POST, signing=signing)
        if form.is_valid():
            entries = {
                "items": form.entries(),
                "vetoes": form.veto_findings(),
                "overall_opinion": form.cleaned_data["overall_opinion"],
            }
            try:
                if signing:
                    save_and_sign_off(assignment=assignment, actor=request.user, **entries)
                    messages.success(request, _("已签署评估，评分已锁定。"))
                else:
                    save_draft(assignment=assignment, **entries)
                    messages.success(request, _("草稿已保存，可继续修改。"))
                return redirect("evaluation:assignment", pk=assignment.pk)
            except Refused as error:
                form.add_error(None, str(error))
        status = 400
    else:
        if request.method == "POST":
            messages.error(request, _("您已签署该评估，评分不能再修改，也不能重复签署。"))
            status = 409
        form = _scoring_form(assignment)
    own = self_assessment(application)
    return render(
        request,
        "evaluation/score.html",
        {
            "assignment": assignment,
            "application": application,
            "form": form,
            "editable": editable,
            "rows": [
                (item, score, finding, own.get(item.pk)) for (item, score, finding) in form.rows()
            ],
            "declared_vetoes": set(application.declared_vetoes.values_list("pk", flat=True)),
        },
        status=status,
    )


@allowed
@require_POST
def declare(request, pk):
    assignment = get_assignment_for(request.user, pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "evaluation/declaration.html",
            {"assignment": assignment, "application": assignment.application, "form": form},
            status=400,
        )
    try:
        if form.cleaned_data["decision"] == "none":
            declare_no_conflict(assignment)
            messages.success(request, _("已声明无利益冲突，可以开始评分。"))
            return redirect("evaluation:assignment", pk=assignment.pk)
        withdraw_for_conflict(assignment=assignment, reason=form.cleaned_data["reason"].strip())
    except Refused as error:
        messages.error(request, str(error))
        return redirect("evaluation:assignment", pk=assignment.pk)
    messages.info(request, _("已申报利益冲突并退出该评估，监管局将另行指派专家。"))
    return redirect("evaluation:worklist")


@allowed
def report(request, pk):
    """《新郑市生产经营单位安全生产诚信评估报告》, once every assigned expert has signed."""
    application = get_application_for(request.user, pk)
    if not application.has_evaluation_report:
        raise Http404
    pdf = render_pdf("pdf/report.html", report_context(application), request=request)
    return pdf_response(
        pdf, f"安全生产诚信评估报告-{application.unit.name}-{application.cycle.year}.pdf"
    )
