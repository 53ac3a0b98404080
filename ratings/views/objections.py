"""Due process pages: the notice (告知书), the objection, and its independent review (复核)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.selectors import get_application_for
from portal.access import roles
from portal.downloads import stored_file_response
from portal.models import Role
from portal.pdf import pdf_response
from portal.refusals import Refused

from .. import documents
from ..forms import ObjectionDecisionForm, ObjectionForm
from ..models import Objection
from ..selectors import get_notice_for, get_objection_for, objections_for
from ..services import objections as due_process


@roles(Role.BUREAU, Role.ENTERPRISE)
def notice_detail(request, pk):
    notice = get_notice_for(request.user, pk)
    application = notice.application
    target = due_process.objectable(application)
    may_object = (
        request.user.role == Role.ENTERPRISE and not isinstance(target, str) and target[1] == notice
    )
    return render(
        request,
        "ratings/notice_detail.html",
        {
            "notice": notice,
            "application": application,
            "may_object": may_object,
            "why_not": target if isinstance(target, str) else "",
            "objections": notice.objections.all(),
        },
    )


@roles(Role.BUREAU, Role.ENTERPRISE)
def notice_pdf(request, pk):
    notice = get_notice_for(request.user, pk)
    return pdf_response(documents.notice_pdf(notice), f"不利结果告知书-{notice.number}.pdf")


@roles(Role.ENTERPRISE)
def objection_new(request, pk):
    """The enterprise objects to the result under a notice, or to its published result."""
    application = get_application_for(request.user, pk)
    target = due_process.objectable(application)
    if isinstance(target, str):
        messages.info(request, target)
        return redirect("assessments:application_detail", pk=application.pk)
    against, subject = target
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = due_process.file_objection(
                application=application,
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data.get("evidence"),
                evidence_type=form.evidence_type,
                actor=request.user,
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("异议已提交，将由未参与本申报办理的工作人员于 %(date)s 前作出复核决定。")
                % {"date": objection.due_on.isoformat()},
            )
            return redirect("ratings:objection_detail", pk=objection.pk)
    return render(
        request,
        "ratings/objection_form.html",
        {"application": application, "against": against, "subject": subject, "form": form},
    )


@roles(Role.BUREAU, Role.ENTERPRISE)
def objection_list(request):
    objections = list(objections_for(request.user).order_by("decision", "due_on", "-pk")[:200])
    return render(request, "ratings/objection_list.html", {"objections": objections})


def _detail(request, objection, form=None, status=200):
    may_decide = due_process.may_decide(request.user, objection.application)
    if form is None and may_decide and not objection.is_decided:
        form = ObjectionDecisionForm(proposed=objection.against == Objection.Against.PROPOSED)
    return render(
        request,
        "ratings/objection_detail.html",
        {
            "objection": objection,
            "application": objection.application,
            "may_decide": may_decide,
            "form": form,
            "grade_changes": objection.grade_changes.all(),
        },
        status=status,
    )


@roles(Role.BUREAU, Role.ENTERPRISE)
def objection_detail(request, pk):
    return _detail(request, get_objection_for(request.user, pk))


@roles(Role.BUREAU)
@require_POST
def objection_decide(request, pk):
    objection = get_objection_for(request.user, pk)
    # Only an officer who took no part in the application decides (the service checks it too).
    if not due_process.may_decide(request.user, objection.application):
        raise PermissionDenied
    form = ObjectionDecisionForm(
        request.POST, proposed=objection.against == Objection.Against.PROPOSED
    )
    if not form.is_valid():
        return _detail(request, objection, form, status=400)
    data = form.cleaned_data
    try:
        due_process.decide(
            objection=objection,
            upheld=data["upheld"],
            text=data["decision_text"],
            actor=request.user,
            new_score=data.get("new_score"),
            new_has_veto=data.get("new_has_veto", False),
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("复核决定已作出，已通知申报单位。"))
    return redirect("ratings:objection_detail", pk=objection.pk)


@roles(Role.BUREAU, Role.ENTERPRISE)
def objection_attachment(request, pk):
    objection = get_objection_for(request.user, pk)
    if not objection.evidence:
        raise Http404
    return stored_file_response(
        objection.evidence,
        objection.evidence_name or "evidence",
        objection.evidence_type or "application/octet-stream",
    )


@roles(Role.BUREAU, Role.ENTERPRISE)
def objection_decision_pdf(request, pk):
    objection = get_objection_for(request.user, pk)
    if not objection.is_decided:
        messages.info(request, _("作出复核决定后才有《异议复核决定书》。"))
        return redirect("ratings:objection_detail", pk=objection.pk)
    return pdf_response(
        documents.objection_decision_pdf(objection), f"异议复核决定书-{objection.pk}.pdf"
    )
