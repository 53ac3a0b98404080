from django.shortcuts import render
from django.utils import timezone

from portal.downloads import download_response

from .. import reports
from ..forms import ReportForm
from .access import allowed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@allowed
def report(request):
    today = timezone.localdate()
    form = ReportForm(
        request.GET or None,
        initial={"date_from": today.replace(month=1, day=1), "date_to": today},
    )
    if not form.is_valid():
        return render(request, "linkage/reports.html", {"form": form})
    data = form.cleaned_data
    notices = reports.notices_in(
        data["date_from"], data["date_to"], data["cycle"], data["area"], data["department"]
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        name = f"联动通报报表-{data['date_from']}-{data['date_to']}.{export}"
        if export == "csv":
            content, kind = reports.to_csv(notices, data["group_by"]), "text/csv; charset=utf-8"
        else:
            content, kind = reports.to_xlsx(notices, data["group_by"]), XLSX
        return download_response(content, kind, name)
    headers, rows = reports.summary_rows(notices, data["group_by"])
    return render(
        request,
        "linkage/reports.html",
        {"form": form, "headers": headers, "rows": rows, "query": request.GET.urlencode()},
    )
