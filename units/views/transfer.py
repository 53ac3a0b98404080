"""Bulk in and out: CSV/Excel export of the filtered list, and imports."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.downloads import download_response

from ..exporting import export_csv, export_xlsx
from ..filters import UnitFilter
from ..forms import ImportForm
from ..importing import ImportFileError, import_units, template_workbook
from ..selectors import units_for
from .access import allowed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request):
    return UnitFilter(request.GET, queryset=units_for(request.user)).qs


@allowed
def export_csv_view(request):
    stamp = timezone.localdate().isoformat()
    return download_response(
        export_csv(_filtered(request)), "text/csv; charset=utf-8", f"单位名录-{stamp}.csv"
    )


@allowed
def export_xlsx_view(request):
    stamp = timezone.localdate().isoformat()
    return download_response(export_xlsx(_filtered(request)), XLSX, f"单位名录-{stamp}.xlsx")


@allowed
def import_template(request):
    return download_response(template_workbook(), XLSX, "单位导入模板.xlsx")


@allowed
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_units(
                upload.read(), upload.name, only_valid=form.cleaned_data["only_valid"]
            )
        except ImportFileError as error:
            file_error = str(error)
            form.add_error("file", file_error)
    status = 400 if (file_error or (result and result.errors and not result.imported)) else 200
    return render(
        request,
        "units/import.html",
        {"form": form, "result": result, "summary": _summary(result)},
        status=status,
    )


def _summary(result) -> str:
    if result is None:
        return ""
    if result.imported:
        return _("已导入%(n)d个单位，跳过%(bad)d行有错误的行。") % {
            "n": result.imported,
            "bad": result.bad_rows,
        }
    if result.errors:
        return _(
            "共%(total)d行，其中%(bad)d行有错误，未导入任何单位。请修正后重新导入，或勾选“只导入无误的行”。"
        ) % {
            "total": result.total_rows,
            "bad": result.bad_rows,
        }
    return _("文件中没有数据行。")
