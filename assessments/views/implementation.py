from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms import MonthlyCheckForm, WorkPlanForm
from ..models import Cycle, MonthlyCheck
from ..selectors import get_implementation_unit_for, work_plans_for
from ..services.implementation import add_monthly_check, save_work_plan, work_plan_for
from .access import allowed


@allowed
def implementation_mine(request):
    """Phase 2 for the enterprise: the work plan and the monthly checks, on one page."""
    cycle = Cycle.objects.current()
    if cycle is None:
        return render(request, "assessments/no_cycle.html")
    unit = request.user.unit
    plan = work_plan_for(cycle, unit)
    which = request.POST.get("form") if request.method == "POST" else None
    plan_form = WorkPlanForm(
        request.POST if which == "plan" else None, instance=plan, prefix="plan"
    )
    check_form = MonthlyCheckForm(
        request.POST if which == "check" else None, cycle=cycle, unit=unit, prefix="check"
    )
    if which == "plan" and plan_form.is_valid():
        save_work_plan(plan_form)
        messages.success(request, _("工作方案已保存。"))
        return redirect("assessments:implementation_mine")
    if which == "check" and check_form.is_valid():
        add_monthly_check(form=check_form, cycle=cycle, unit=unit)
        messages.success(request, _("分月考核记录已添加。"))
        return redirect("assessments:implementation_mine")
    checks = MonthlyCheck.objects.filter(cycle=cycle, unit=unit)
    return render(
        request,
        "assessments/implementation_mine.html",
        {"cycle": cycle, "plan_form": plan_form, "check_form": check_form, "checks": checks},
        status=400 if which else 200,
    )


@allowed
def implementation_list(request):
    cycle = Cycle.objects.current()
    plans = work_plans_for(request.user).order_by("unit__name")
    if cycle is not None:
        plans = plans.filter(cycle=cycle)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/implementation_list.html", {"page": page, "cycle": cycle})


@allowed
def implementation_unit(request, unit_pk):
    unit = get_implementation_unit_for(request.user, unit_pk)
    cycle = Cycle.objects.current()
    plan = work_plan_for(cycle, unit) if cycle else None
    checks = MonthlyCheck.objects.filter(cycle=cycle, unit=unit) if cycle else []
    return render(
        request,
        "assessments/implementation_unit.html",
        {"unit": unit, "cycle": cycle, "plan": plan, "checks": checks},
    )
