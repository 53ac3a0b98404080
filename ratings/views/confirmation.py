"""Municipal confirmation: the government reviews submitted results and confirms or returns."""

from collections import defaultdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import ExpertScore
from assessments.selectors import get_application_for
from portal.models import Role
from portal.refusals import Refused
from units.models import Area

from ..forms import DecideForm, GradeForm
from ..models import SubmissionItem
from ..selectors import get_submission_for, submission_items, submissions_for
from ..services import confirmation, publicity
from .access import allowed


@allowed
def submission_list(request):
    return render(
        request, "ratings/submission_list.html", {"submissions": submissions_for(request.user)}
    )


@allowed
def submission_detail(request, pk):
    submission = get_submission_for(request.user, pk)
    items = submission_items(submission)
    filters = {
        "star": request.GET.get("star", ""),
        "area": request.GET.get("area", ""),
        "decision": request.GET.get("decision", ""),
        # PostgreSQL refuses NUL in text: a pasted one would be a 500, and no name holds one.
        "q": request.GET.get("q", "").replace("\x00", "").strip(),
    }
    if filters["star"].isdigit():
        items = items.filter(application__star=int(filters["star"]))
    if filters["area"].isdigit():
        items = items.filter(application__unit__area_id=int(filters["area"]))
    if filters["decision"] in SubmissionItem.Decision.values:
        items = items.filter(decision=filters["decision"])
    if filters["q"]:
        items = items.filter(application__unit__name__contains=filters["q"])
    return render(
        request,
        "ratings/submission_detail.html",
        {
            "submission": submission,
            "items": items,
            "filters": filters,
            "areas": Area.objects.order_by("name"),
            "decisions": SubmissionItem.Decision.choices,
            "can_decide": request.user.role == Role.GOVERNMENT and submission.pending,
            "form": DecideForm(),
        },
    )


@allowed
@require_POST
def submission_decide(request, pk):
    submission = get_submission_for(request.user, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择确认或退回。"))
        return redirect("ratings:submission_detail", pk=submission.pk)
    chosen = list(submission.items.filter(pk__in=request.POST.getlist("items")))
    confirm = form.cleaned_data["action"] == "confirm"
    try:
        count = confirmation.decide(
            submission=submission,
            items=chosen,
            confirm=confirm,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        message = _("已确认 %(n)d 个单位的结果。") if confirm else _("已退回 %(n)d 个单位。")
        messages.success(request, message % {"n": count})
    return redirect("ratings:submission_detail", pk=submission.pk)


@allowed
def application_review(request, pk):
    """Drill-down: item scores (self, each expert, mean), vetoes, grade changes, comments."""
    application = get_application_for(request.user, pk)
    scores = defaultdict(list)
    for score in ExpertScore.objects.filter(assignment__application=application).select_related(
        "assignment__expert"
    ):
        scores[score.item_id].append(score)
    self_scores = {s.item_id: s.score for s in application.self_scores.all()}
    rows = [
        (item, self_scores.get(item.pk), scores.get(item.pk, []))
        for item in application.cycle.standard.items()
    ]
    comments = [
        comment
        for item in application.publicity_items.prefetch_related("comments")
        for comment in item.comments.all()
    ]
    return render(
        request,
        "ratings/application_review.html",
        {
            "application": application,
            "rows": rows,
            "vetoes": [
                finding
                for assignment in application.assignments.prefetch_related(
                    "veto_findings__veto_item"
                )
                for finding in assignment.veto_findings.all()
            ],
            "grade_changes": application.grade_changes.select_related("comment", "changed_by"),
            "comments": comments,
            "transitions": application.transitions.select_related("actor"),
            "returned_items": application.submission_items.filter(
                decision=SubmissionItem.Decision.RETURNED
            ),
        },
    )


@allowed
def regrade(request, pk):
    """After a government return: grade again (keep or change, with a reason)."""
    application = get_application_for(request.user, pk)
    if not application.is_returned_by_government:
        messages.info(request, _("该申报不在“市政府退回”状态。"))
        return redirect("ratings:application_review", pk=application.pk)
    form = GradeForm(
        request.POST or None,
        initial={
            "new_score": application.comprehensive_score,
            "has_veto": application.has_veto,
            "expected_status": application.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            publicity.regrade_after_return(
                application=application,
                new_score=form.cleaned_data["new_score"],
                has_veto=form.cleaned_data["has_veto"],
                reason=form.cleaned_data["reason"],
                expected_status=form.cleaned_data["expected_status"] or None,
                actor=request.user,
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已重新拟定等级，请将其列入新的公示批次。"))
            return redirect("ratings:batch_list")
    returned = application.submission_items.filter(
        decision=SubmissionItem.Decision.RETURNED
    ).order_by("-decided_at")
    return render(
        request,
        "ratings/regrade.html",
        {"application": application, "form": form, "returned": returned},
    )
