"""The audit administrator searches and exports the audit trail, and nobody else reads it
(三权分立); nothing here can change it."""

from auditlog.models import LogEntry
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.access import roles
from portal.audit_display import AuditPresenter, action_label, local_time
from portal.filters import AuditFilter
from portal.models import Role
from portal.spreadsheets import csv_bytes


def _entries(request):
    queryset = LogEntry.objects.select_related("actor", "content_type").order_by(
        "-timestamp", "-pk"
    )
    return AuditFilter(request.GET, queryset=queryset)


@roles(Role.AUDIT_ADMIN)
@require_GET
def audit_log(request):
    entries = _entries(request)
    page = Paginator(entries.qs, 50).get_page(request.GET.get("page"))
    presenter = AuditPresenter(page)
    for entry in page:
        entry.local_time = local_time(entry.timestamp)
        entry.action_label = action_label(entry)
        entry.object_name = presenter.object_name(entry)
        entry.described_changes = presenter.changes(entry)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/audit_log.html",
        {"filter": entries, "page": page, "query": query.urlencode()},
    )


@roles(Role.AUDIT_ADMIN)
@require_GET
def audit_export(request):
    headers = [
        _("时间（北京时间）"),
        _("操作人"),
        _("操作"),
        _("对象类型"),
        _("对象"),
        _("对象编号"),
        _("变更内容"),
        _("来源地址"),
    ]
    rows = (row for chunk in _chunks(_entries(request).qs, 2000) for row in _export_rows(chunk))
    response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=audit-log.csv"
    return response


def _chunks(queryset, size: int):
    chunk = []
    for entry in queryset.iterator(chunk_size=size):
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _export_rows(entries: list[LogEntry]):
    presenter = AuditPresenter(entries)
    for entry in entries:
        yield [
            local_time(entry.timestamp),
            entry.actor or "",
            action_label(entry),
            entry.content_type.name,
            presenter.object_name(entry),
            entry.object_pk,
            presenter.changes(entry),
            entry.remote_addr or "",
        ]
