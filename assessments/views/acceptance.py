"""The bureau's acceptance queue: who handles what, return for correction, accept."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.refusals import Refused

from ..filters import AcceptanceFilter
from ..forms import HandlerForm, ReturnForm, TransitionForm
from ..models import Application
from ..selectors import applications_for, get_application_for
from ..services import acceptance
from .access import allowed


@allowed
def queue(request):
    base = (
        applications_for(request.user)
        .select_related("handler")
        .order_by("handler_id", "submitted_at")
    )
    found = AcceptanceFilter(request.GET, queryset=base, request=request)
    page = Paginator(found.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = {
        "submitted": Application.objects.filter(status="submitted").count(),
        "unassigned": Application.objects.filter(status="submitted", handler__isnull=True).count(),
    }
    return render(
        request,
        "assessments/queue.html",
        {"filter": found, "page": page, "query": query.urlencode(), "counts": counts},
    )


@allowed
@require_POST
def handler(request, pk):
    application = get_application_for(request.user, pk)
    form = HandlerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("assessments:application_detail", pk=pk)
    action = form.cleaned_data["action"]
    target = {
        "take": request.user,
        "assign": form.cleaned_data.get("colleague"),
        "release": None,
    }[action]
    try:
        acceptance.set_handler(
            application=application,
            actor=request.user,
            handler=target,
            expected_handler_id=form.cleaned_data["expected_handler"],
        )
    except (Refused, ValidationError) as error:
        messages.error(
            request, error.messages[0] if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(
            request,
            {
                "take": _("已由您经办。"),
                "assign": _("已转交给%(name)s。") % {"name": target},
                "release": _("已放回待分配队列。"),
            }[action],
        )
    return redirect("assessments:application_detail", pk=pk)


@allowed
@require_POST
def return_application(request, pk):
    application = get_application_for(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("assessments:application_detail", pk=pk)
    try:
        acceptance.return_for_correction(
            application=application,
            actor=request.user,
            reason_codes=form.cleaned_data["reason_codes"],
            reason=form.cleaned_data["reason"],
            expected_status=form.cleaned_data["expected_status"],
        )
    except Refused as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("您无权执行此操作。"))
    else:
        messages.success(request, _("已退回补正，企业将收到通知。"))
    return redirect("assessments:application_detail", pk=pk)


@allowed
@require_POST
def accept_application(request, pk):
    application = get_application_for(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新页面后重试。"))
        return redirect("assessments:application_detail", pk=pk)
    try:
        accepted = acceptance.accept(
            application=application,
            actor=request.user,
            expected_status=form.cleaned_data["expected_status"],
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("已受理，回执编号 %(number)s。") % {"number": accepted.receipt_number}
        )
    return redirect("assessments:application_detail", pk=pk)
