from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import (
    CategoryFormSet,
    CopyStandardForm,
    ItemFormSet,
    StandardHeaderForm,
    VetoFormSet,
)
from ..models import ScoringStandard
from ..selectors import get_standard
from ..services.standards import copy_standard, save_standard
from .access import allowed


@allowed
def standard_list(request):
    standards = (
        ScoringStandard.objects.with_total_points()
        .annotate(cycle_count=Count("cycles", distinct=True))
        .select_related("based_on")
    )
    return render(request, "assessments/standard_list.html", {"standards": standards})


@allowed
def standard_detail(request, pk):
    standard = get_standard(pk)
    categories = standard.categories.prefetch_related("items")
    return render(
        request,
        "assessments/standard_detail.html",
        {
            "standard": standard,
            "categories": categories,
            "vetoes": standard.vetoes.all(),
            "total": standard.total_points(),
            "copy_form": CopyStandardForm(),
        },
    )


@allowed
@require_POST
def standard_copy(request, pk):
    standard = get_standard(pk)
    form = CopyStandardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("版本号无效。"))
        return redirect("assessments:standard_detail", pk=pk)
    version = form.cleaned_data["version"]
    if version and ScoringStandard.objects.filter(name=standard.name, version=version).exists():
        messages.error(request, _("版本号“%(v)s”已存在。") % {"v": version})
        return redirect("assessments:standard_detail", pk=pk)
    copy = copy_standard(standard=standard, version=version)
    messages.success(request, _("已复制为新版本 %(v)s，可以编辑。") % {"v": copy.version})
    return redirect("assessments:standard_edit", pk=copy.pk)


@allowed
def standard_edit(request, pk):
    standard = get_standard(pk)
    if standard.is_frozen:
        messages.error(request, _("该版本已被考核周期使用，不能修改；请复制为新版本后再编辑。"))
        return redirect("assessments:standard_detail", pk=pk)
    data = request.POST if request.method == "POST" else None
    header = StandardHeaderForm(data, instance=standard)
    categories = CategoryFormSet(data, instance=standard, prefix="categories")
    items = ItemFormSet(data, standard=standard, prefix="items")
    vetoes = VetoFormSet(data, instance=standard, prefix="vetoes")
    forms = [header, categories, items, vetoes]
    if request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            save_standard(
                standard=standard, header_form=header, formsets=[categories, items, vetoes]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("评分标准已保存。"))
            return redirect("assessments:standard_detail", pk=pk)
    elif request.method == "POST":
        messages.error(request, _("保存失败，请检查标红的内容。"))
    return render(
        request,
        "assessments/standard_edit.html",
        {
            "standard": standard,
            "header": header,
            "categories": categories,
            "items": items,
            "vetoes": vetoes,
        },
        status=400 if request.method == "POST" else 200,
    )
