"""Phase 2 records: the work plan and the monthly checks per production unit."""

from assessments.models import Cycle, MonthlyCheck, WorkPlan


def work_plan_for(cycle: Cycle, unit) -> WorkPlan:
    """The unit's plan for the cycle, unsaved when none has been written yet."""
    return WorkPlan.objects.filter(cycle=cycle, unit=unit).first() or WorkPlan(
        cycle=cycle, unit=unit
    )


def save_work_plan(form) -> WorkPlan:
    return form.save()


def add_monthly_check(*, form, cycle: Cycle, unit) -> MonthlyCheck:
    check = form.save(commit=False)
    check.cycle = cycle
    check.unit = unit
    check.save()
    return check
