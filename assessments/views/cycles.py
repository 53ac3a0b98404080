from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import CycleDatesForm, CycleForm
from ..models import Cycle
from ..selectors import get_cycle
from ..services.cycles import advance_phase, next_phase, open_cycle
from .access import allowed


@allowed
def cycle_list(request):
    cycles = Cycle.objects.select_related("standard", "opened_by")
    current = next((cycle for cycle in cycles if cycle.is_open), None)
    return render(
        request,
        "assessments/cycle_list.html",
        {
            "cycles": cycles,
            "current": current,
            "next_phase": Cycle.Phase(next_phase(current)).label if current else None,
        },
    )


@allowed
def cycle_open(request):
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            cycle = open_cycle(actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已开启%(name)s考核周期。") % {"name": cycle})
            return redirect("assessments:cycle_list")
    return render(request, "assessments/cycle_form.html", {"form": form, "cycle": None})


@allowed
def cycle_edit(request, pk):
    cycle = get_cycle(pk)
    if not cycle.is_open:
        messages.error(request, _("该周期已结束，不能修改。"))
        return redirect("assessments:cycle_list")
    form = CycleDatesForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("周期信息已保存。"))
        return redirect("assessments:cycle_list")
    return render(request, "assessments/cycle_form.html", {"form": form, "cycle": cycle})


@allowed
@require_POST
def cycle_advance(request, pk):
    cycle = get_cycle(pk)
    try:
        cycle = advance_phase(cycle=cycle, expected_phase=request.POST.get("expected_phase", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(name)s已进入“%(phase)s”阶段。")
            % {"name": cycle, "phase": cycle.get_phase_display()},
        )
    return redirect("assessments:cycle_list")
