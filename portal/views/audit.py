"""The audit administrator searches and exports the audit trail, and nobody else reads it
(三权分立); nothing here can change it."""

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.access import roles
from portal.filters import AuditFilter
from portal.models import Role
from portal.spreadsheets import csv_bytes


def describe_changes(entry: LogEntry) -> str:
    """The diff with field and choice labels instead of column names and codes. Related rows
    stay as ids: resolving them would cost a query per value, on every page and export row."""
    model = entry.content_type.model_class()
    parts = []
    for name, (before, after) in (entry.changes_dict or {}).items():
        try:
            field = model._meta.get_field(name) if model else None
        except FieldDoesNotExist:
            field = None
        if field is not None and (not field.concrete or field.primary_key):
            continue  # the row's own id; reverse relations django-auditlog lists on create
        label = field.verbose_name if field is not None else name
        choices = {str(key): value for key, value in (getattr(field, "choices", None) or [])}
        before, after = (_shown(choices.get(value, value)) for value in (before, after))
        if entry.action == LogEntry.Action.CREATE:
            parts.append(f"{label}: {after}")
        else:
            parts.append(f"{label}: {before} → {after}")
    return "; ".join(parts)


def _shown(value) -> str:
    # django-auditlog stores values as str(); None and "" both mean "nothing" to a reader.
    return "—" if value in ("None", "", None) else str(value)


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
    for entry in page:
        entry.described_changes = describe_changes(entry)
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
    headers = ["时间", "操作人", "操作", "对象类型", "对象", "对象编号", "变更内容", "来源地址"]
    rows = (
        [
            entry.timestamp.isoformat(),
            entry.actor or "",
            entry.get_action_display(),
            entry.content_type.name,
            entry.object_repr,
            entry.object_pk,
            describe_changes(entry),
            entry.remote_addr or "",
        ]
        for entry in _entries(request).qs.iterator(chunk_size=2000)
    )
    response = HttpResponse(csv_bytes(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename=audit-log.csv"
    return response
