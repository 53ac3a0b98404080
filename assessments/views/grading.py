"""The grade review (等级考评): batch view, per-application adjustment, batch grading."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.filters import ReviewFilter
from assessments.forms import GradeForm
from assessments.models import Status
from assessments.selectors import applications_for, get_application_for, report_context
from assessments.services.grading import grade, grade_batch
from assessments.stars import star_for
from portal.refusals import Refused

from .access import allowed


@allowed
def review_list(request):
    applications = ReviewFilter(
        request.GET,
        queryset=applications_for(request.user)
        .select_related("unit__area", "unit__industry")
        .order_by("unit__area__name", "unit__name"),
    )
    page = Paginator(applications.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "evaluation/review_list.html",
        {"filter": applications, "page": page, "query": query.urlencode()},
    )


@allowed
@require_POST
def review_batch(request):
    """Grade the selected evaluated applications without adjustment."""
    selected = list(
        applications_for(request.user).filter(
            pk__in=[pk for pk in request.POST.getlist("applications") if pk.isdigit()],
            status=Status.EVALUATED,
        )
    )
    if not selected:
        messages.error(request, _("请先勾选待考评的申报。"))
        return redirect("evaluation:review_list")
    graded, refusals = grade_batch(applications=selected, actor=request.user)
    if graded:
        messages.success(
            request,
            ngettext("已拟定 %(n)d 个单位的等级。", "已拟定 %(n)d 个单位的等级。", len(graded))
            % {"n": len(graded)},
        )
    for refusal in refusals:
        messages.error(request, refusal)
    return redirect("evaluation:review_list")


@allowed
def review(request, pk):
    application = get_application_for(request.user, pk)
    gradable = application.is_gradable
    form = GradeForm(
        request.POST or None,
        initial={
            "adjustment": application.score_adjustment,
            "reason": application.adjustment_reason,
            "expected_status": application.status,
        },
    )
    status = 200
    if request.method == "POST":
        if gradable and form.is_valid():
            try:
                graded = grade(
                    application=application,
                    actor=request.user,
                    adjustment=form.cleaned_data["adjustment"],
                    reason=form.cleaned_data["reason"],
                    expected_status=form.cleaned_data["expected_status"],
                )
            except Refused as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("已拟定等级：综合考评得分 %(score)s 分，%(star)s。")
                    % {"score": graded.comprehensive_score, "star": graded.get_star_display()},
                )
                return redirect("evaluation:review", pk=application.pk)
        elif not gradable:
            form.add_error(
                None,
                _("该申报当前状态为“%(status)s”，不能进行等级考评。")
                % {"status": application.get_status_display()},
            )
        status = 400
    context = report_context(application) if application.preliminary_score is not None else {}
    return render(
        request,
        "evaluation/review.html",
        {
            **context,
            "application": application,
            "form": form,
            "gradable": gradable,
            "transitions": application.transitions.select_related("actor"),
            "proposed_star": star_for(application.comprehensive_score, application.has_veto)
            if application.comprehensive_score is not None
            else None,
        },
        status=status,
    )
