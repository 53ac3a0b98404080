"""Credit repair (信用修复): the enterprise applies after the shortest display period; the
bureau decides within 10 working days and edits the display periods (reference data)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.downloads import stored_file_response
from portal.refusals import Refused

from ..forms_repair import DisplayPeriodForm, RepairApplyForm, RepairDecideForm
from ..models import DisplayPeriod
from ..selectors import (
    get_display_period,
    get_listing_for_enterprise,
    get_repair_request_for,
    listings_of_unit,
    repair_requests_for_bureau,
)
from ..services.repair import apply_for_repair, decide_repair, repair_closed_reason, update_period
from .access import allowed


@allowed
def repair_mine(request, form=None, status=200):
    today = timezone.localdate()
    listings = [
        {
            "listing": listing,
            "displayed": listing.is_displayed(today),
            "closed_reason": repair_closed_reason(listing, today),
        }
        for listing in listings_of_unit(request.user)
    ]
    return render(
        request,
        "ratings/repair_mine.html",
        {"listings": listings, "form": form or RepairApplyForm(), "today": today},
        status=status,
    )


@allowed
@require_POST
def repair_apply(request, pk):
    listing = get_listing_for_enterprise(request.user, pk)
    form = RepairApplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return repair_mine(request, form=form, status=400)
    try:
        apply_for_repair(
            listing=listing,
            statement=form.cleaned_data["statement"],
            evidence=form.cleaned_data["evidence"],
            evidence_type=form.evidence_type,
            actor=request.user,
        )
    except Refused as error:
        messages.error(request, str(error))
        return repair_mine(request, status=409)
    messages.success(request, _("信用修复申请已提交，监管局将在10个工作日内作出决定。"))
    return redirect("ratings:repair_mine")


@allowed
def repair_list(request):
    return render(
        request,
        "ratings/repair_list.html",
        {"requests": repair_requests_for_bureau(), "today": timezone.localdate()},
    )


@allowed
def repair_detail(request, pk, form=None, status=200):
    repair = get_repair_request_for(request.user, pk)
    return render(
        request,
        "ratings/repair_detail.html",
        {"repair": repair, "form": form or RepairDecideForm(), "today": timezone.localdate()},
        status=status,
    )


@allowed
@require_POST
def repair_decide(request, pk):
    repair = get_repair_request_for(request.user, pk)
    form = RepairDecideForm(request.POST)
    if not form.is_valid():
        return repair_detail(request, pk, form=form, status=400)
    grant = form.cleaned_data["decision"] == "grant"
    try:
        decide_repair(
            request=repair, grant=grant, reason=form.cleaned_data["reason"], actor=request.user
        )
    except Refused as error:
        messages.error(request, str(error))
        return repair_detail(request, pk, status=409)
    messages.success(
        request,
        _("已准予信用修复：停止公示，并已通知实施限制的联动部门。")
        if grant
        else _("已决定不予修复，理由已告知企业。"),
    )
    return redirect("ratings:repair_detail", pk=pk)


@allowed
def repair_evidence(request, pk):
    repair = get_repair_request_for(request.user, pk)
    return stored_file_response(repair.evidence, repair.evidence_name, repair.evidence_type)


@allowed
def display_periods(request, form=None, form_for=None, status=200):
    return render(
        request,
        "ratings/display_periods.html",
        {"periods": DisplayPeriod.objects.all(), "form": form, "form_for": form_for},
        status=status,
    )


@allowed
@require_POST
def display_period_edit(request, pk):
    period = get_display_period(pk)
    form = DisplayPeriodForm(request.POST)
    if not form.is_valid():
        return display_periods(request, form=form, form_for=period.pk, status=400)
    update_period(
        period=period,
        shortest=form.cleaned_data["shortest_months"],
        longest=form.cleaned_data["longest_months"],
        severity=form.cleaned_data["severity"],
    )
    messages.success(request, _("已保存。新的期限适用于此后列入名单的单位。"))
    return redirect("ratings:display_periods")
