"""The bureau's roster of experts and agencies; an expert's own conflict declarations."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.forms import ConflictForm, ExpertForm
from assessments.models import ConflictOfInterest
from assessments.selectors import expert_profile, experts_with_load, get_expert
from assessments.services.experts import declare_conflict

from .access import allowed


@allowed
def roster(request):
    experts = experts_with_load().order_by("-is_active", "kind", "name")
    return render(request, "evaluation/roster.html", {"experts": experts})


@allowed
def expert_create(request):
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert = form.save()
        messages.success(request, _("已加入专家库：%(name)s。") % {"name": expert.name})
        return redirect("evaluation:expert_detail", pk=expert.pk)
    return render(request, "evaluation/expert_form.html", {"form": form})


@allowed
def expert_edit(request, pk):
    expert = get_expert(pk)
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("专家信息已保存。"))
        return redirect("evaluation:expert_detail", pk=expert.pk)
    return render(request, "evaluation/expert_form.html", {"form": form, "expert": expert})


@allowed
def expert_detail(request, pk):
    expert = get_expert(pk)
    assignments = expert.assignments.select_related("application__unit", "application__cycle")
    conflicts = expert.conflicts.select_related("unit").order_by("-declared_at")
    return render(
        request,
        "evaluation/expert_detail.html",
        {"expert": expert, "assignments": assignments, "conflicts": conflicts},
    )


@allowed
def conflicts(request):
    expert = expert_profile(request.user)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and expert is not None and form.is_valid():
        declare_conflict(expert=expert, unit=form.unit, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("已申报与“%(unit)s”存在利益冲突，您不会被指派评估该单位。")
            % {"unit": form.unit.name},
        )
        return redirect("evaluation:conflicts")
    declared = (
        ConflictOfInterest.objects.filter(expert=expert)
        .select_related("unit")
        .order_by("-declared_at")
        if expert
        else []
    )
    return render(
        request,
        "evaluation/conflicts.html",
        {"form": form, "expert": expert, "declared": declared},
    )
