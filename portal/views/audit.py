"""The bureau searches and exports the audit trail; nothing here can change it."""

import csv
import io

from auditlog.models import LogEntry
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.access import roles
from portal.filters import AuditFilter
from portal.models import Role


def _entries(request):
    queryset = LogEntry.objects.select_related("actor", "content_type").order_by(
        "-timestamp", "-pk"
    )
    return AuditFilter(request.GET, queryset=queryset)


@roles(Role.BUREAU)
@require_GET
def audit_log(request):
    entries = _entries(request)
    page = Paginator(entries.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit_log.html",
        {"filter": entries, "page": page, "query": query.urlencode()},
    )


@roles(Role.BUREAU)
@require_GET
def audit_export(request):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["时间", "操作人", "操作", "对象类型", "对象", "对象编号", "变更内容", "来源地址"]
    )
    for entry in _entries(request).qs.iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.timestamp.isoformat(),
                entry.actor or "",
                entry.get_action_display(),
                entry.content_type.model,
                entry.object_repr,
                entry.object_pk,
                entry.changes_str,
                entry.remote_addr or "",
            ]
        )
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = "attachment; filename=audit-log.csv"
    return response
