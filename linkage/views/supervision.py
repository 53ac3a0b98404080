"""Classified supervision: units by tier, inspections, hazards, orders, credit repair."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Role
from units.selectors import get_unit_for

from ..forms import (
    HazardFormSet,
    InspectionRecordForm,
    LiftForm,
    OrderForm,
    OrderOutcomeForm,
    PlanForm,
    RectifiedForm,
)
from ..models import Tier
from ..selectors import (
    get_hazard_for,
    get_inspection_for,
    get_order,
    supervised_units,
    supervision_of,
    units_due_for_inspection,
)
from ..services import supervision
from .access import allowed


@allowed
def supervision_list(request):
    tier = request.GET.get("tier") if request.GET.get("tier") in Tier.values else None
    page = Paginator(supervised_units(request.user, tier), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/supervision.html",
        {"page": page, "tier": tier, "tiers": Tier.choices, "query": f"tier={tier or ''}"},
    )


def _unit_page(request, unit, status=200, **forms):
    today = timezone.localdate()
    is_bureau = request.user.role == Role.BUREAU
    context = {
        "unit": unit,
        "today": today,
        "is_bureau": is_bureau,
        "can_rectify": request.user.role in (Role.BUREAU, Role.TOWNSHIP),
        "rectified_form": RectifiedForm(initial={"rectified_on": today}),
        "order_form": OrderForm(),
        "outcome_form": OrderOutcomeForm(initial={"outcome_on": today}),
        "lift_form": LiftForm(),
        **supervision_of(unit),
        **forms,
    }
    context["tier_label"] = Tier(context["tier"]).label if context["tier"] else ""
    return render(request, "linkage/supervision_unit.html", context, status=status)


@allowed
def supervision_unit(request, pk):
    return _unit_page(request, get_unit_for(request.user, pk))


@allowed
def inspection_plan(request):
    due = units_due_for_inspection()
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("unit") if v.isdigit()}
        if not chosen:
            form.add_error(None, _("请勾选要安排督查的单位。"))
        if form.is_valid():
            units = [unit for unit in due if unit.pk in chosen]
            count = supervision.plan_inspections(
                units=units,
                actor=request.user,
                planned_on=form.cleaned_data["planned_on"],
                tiers={u.pk: u.tier for u in units},
            )
            messages.success(request, _("已安排 %(n)d 项督查。") % {"n": count})
            return redirect("linkage:inspection_plan")
    return render(
        request,
        "linkage/inspection_plan.html",
        {"form": form, "due": due, "tier_labels": dict(Tier.choices)},
        status=400 if form.is_bound and form.errors else 200,
    )


@allowed
def inspection_record(request, pk):
    inspection = get_inspection_for(request.user, pk)
    if inspection.is_done:
        messages.info(request, _("该督查已记录。"))
        return redirect("linkage:supervision_unit", pk=inspection.unit_id)
    form = InspectionRecordForm(request.POST or None)
    hazards = HazardFormSet(request.POST or None, prefix="hazard")
    if request.method == "POST" and form.is_valid() and hazards.is_valid():
        try:
            supervision.record_inspection(
                inspection=inspection,
                **form.cleaned_data,
                hazards=[
                    supervision.HazardInput(h["description"], h["severity"], h["deadline"])
                    for h in hazards.cleaned_data
                    if h.get("description")
                ],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("督查情况已记录。"))
            return redirect("linkage:supervision_unit", pk=inspection.unit_id)
    return render(
        request,
        "linkage/inspection_record.html",
        {"inspection": inspection, "form": form, "hazards": hazards},
        status=400 if form.is_bound else 200,
    )


@allowed
@require_POST
def hazard_rectified(request, pk):
    hazard = get_hazard_for(request.user, pk)
    form = RectifiedForm(request.POST)
    if not form.is_valid():
        return _unit_page(request, hazard.unit, status=400, rectified_form=form)
    supervision.mark_rectified(
        hazard=hazard, actor=request.user, on=form.cleaned_data["rectified_on"]
    )
    messages.success(request, _("已记录隐患整改完成。"))
    return redirect("linkage:supervision_unit", pk=hazard.unit_id)


@allowed
@require_POST
def order_issue(request, pk):
    unit = get_unit_for(request.user, pk)
    form = OrderForm(request.POST)
    if form.is_valid():
        try:
            supervision.issue_order(unit=unit, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已下达限期整改指令。"))
            return redirect("linkage:supervision_unit", pk=unit.pk)
    return _unit_page(request, unit, status=400, order_form=form)


@allowed
@require_POST
def order_outcome(request, pk):
    order = get_order(pk)
    form = OrderOutcomeForm(request.POST)
    if form.is_valid():
        try:
            supervision.record_order_outcome(
                order=order,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["outcome_note"],
                on=form.cleaned_data["outcome_on"],
            )
        except ValidationError as error:
            # The order's form is gone once it has an outcome: say why at the top of the page.
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已记录整改结果。"))
            return redirect("linkage:supervision_unit", pk=order.unit_id)
    return _unit_page(request, order.unit, status=400, outcome_form=form)


@allowed
@require_POST
def lift(request, pk):
    unit = get_unit_for(request.user, pk)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            supervision.lift_key_monitoring(
                unit=unit, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已解除重点监控，并通知实施限制的联动部门。"))
            return redirect("linkage:supervision_unit", pk=unit.pk)
    return _unit_page(request, unit, status=400, lift_form=form)
