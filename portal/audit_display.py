"""The audit trail in its reader's words.

django-auditlog stores what the database knows: column names, choice codes, related rows as
ids, date-times as naive UTC, and the action in English. A reader needs field labels, names,
China Standard Time and the action in the page's language. Everything here only reads; the
entries themselves are never touched (they are append-only).
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.security_events import SecurityEvent

Action = LogEntry.Action

ACTION_LABELS = {
    Action.CREATE: pgettext_lazy("audit action", "新建"),
    Action.UPDATE: pgettext_lazy("audit action", "修改"),
    Action.DELETE: pgettext_lazy("audit action", "删除"),
    Action.ACCESS: pgettext_lazy("audit action", "查看"),
}
ACTION_CHOICES = list(ACTION_LABELS.items())

# Labels for columns declared without a verbose_name (Django would show "created at",
# "recorded by"). Kept here rather than as model changes: they only matter to the log's reader.
FIELD_LABELS = {
    "created_at": gettext_lazy("创建时间"),
    "declared_at": gettext_lazy("申报时间"),
    "assigned_at": gettext_lazy("指派时间"),
    "sha256": gettext_lazy("文件校验值"),
    "public_id": gettext_lazy("通报编号"),
    "evidence_type": gettext_lazy("文件类型"),
    "acknowledged_by": gettext_lazy("签收人"),
    "answered_by": gettext_lazy("处理人"),
    "assigned_by": gettext_lazy("指派人"),
    "changed_by": gettext_lazy("调整人"),
    "created_by": gettext_lazy("创建人"),
    "decided_by": gettext_lazy("决定人"),
    "lifted_by": gettext_lazy("解除人"),
    "opened_by": gettext_lazy("开启人"),
    "planned_by": gettext_lazy("计划人"),
    "published_by": gettext_lazy("公布人"),
    "recorded_by": gettext_lazy("记录人"),
    "rectified_by": gettext_lazy("整改确认人"),
    "revoked_by": gettext_lazy("撤销人"),
    "submitted_by": gettext_lazy("提交人"),
    "uploaded_by": gettext_lazy("上传人"),
    # Keys of security events (portal.security_events), which are not model fields.
    "event": gettext_lazy("事件"),
    "path": gettext_lazy("地址"),
    "file": gettext_lazy("文件"),
    "kind": gettext_lazy("类别"),
    "pk": gettext_lazy("编号"),
    "before": gettext_lazy("早于"),
    "entries": gettext_lazy("条数"),
}

# What Django's Model.__str__ writes for a model without its own: "MeasureTaken object (4)".
_DEFAULT_REPR = re.compile(r"^\w+ object \((\d+)\)$")


def action_label(entry: LogEntry) -> str:
    """A security event (sign-in, download…) is named as such, not as a bare "viewed"."""
    event = _security_event(entry)
    if event is not None:
        return str(event.label)
    return str(ACTION_LABELS.get(entry.action, entry.action))


def _security_event(entry: LogEntry) -> SecurityEvent | None:
    event = (entry.additional_data or {}).get("event") if entry.action == Action.ACCESS else None
    return SecurityEvent(event) if event in SecurityEvent.values else None


def local_time(value: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i:s")


class AuditPresenter:
    """Names for the related rows of a batch of entries, looked up with one query per model
    (a page of 50 entries, or a chunk of an export), then labels for each entry."""

    def __init__(self, entries: Iterable[LogEntry]):
        self.entries = list(entries)
        wanted = defaultdict(set)
        for entry in self.entries:
            model = entry.content_type.model_class()
            if model is None:
                continue
            if _DEFAULT_REPR.match(entry.object_repr or "") and entry.object_id is not None:
                wanted[model].add(entry.object_id)
            for _name, field, values in self._fields(entry, model):
                if field is not None and (field.many_to_one or field.one_to_one):
                    wanted[field.related_model].update(
                        int(value) for value in values if value.isdigit()
                    )
        self.names = {
            model: {
                obj.pk: str(obj)
                for obj in model._default_manager.select_related().filter(pk__in=pks)
            }
            for model, pks in wanted.items()
        }

    def object_name(self, entry: LogEntry) -> str:
        if _DEFAULT_REPR.match(entry.object_repr or ""):
            model = entry.content_type.model_class()
            return self.names.get(model, {}).get(entry.object_id) or f"#{entry.object_id}"
        return entry.object_repr

    def changes(self, entry: LogEntry) -> str:
        model = entry.content_type.model_class()
        parts = []
        for name, field, (before, after) in self._fields(entry, model):
            if name == "event" and _security_event(entry):
                continue  # named in the action column, in the page's language
            label = field_label(field) if field is not None else str(FIELD_LABELS.get(name, name))
            before, after = self._value(field, before), self._value(field, after)
            if entry.action == Action.CREATE or before == "—" and entry.action == Action.ACCESS:
                parts.append(f"{label}: {after}")
            else:
                parts.append(f"{label}: {before} → {after}")
        return "; ".join(parts)

    @staticmethod
    def _fields(entry: LogEntry, model):
        """(name, field or None, [before, after]) for each change a reader should see: not
        the row's own id or the reverse relations auditlog lists on create, and not a field the
        registry now excludes (entries written before a secret was excluded keep it, but do not
        show it). Keys that are no field (a security event's "event", "path") pass as they are.
        """
        excluded = set()
        if model is not None and auditlog.contains(model):
            excluded = set(auditlog.get_model_fields(model)["exclude_fields"])
        for name, values in (entry.changes_dict or {}).items():
            if name in excluded:
                continue
            try:
                field = model._meta.get_field(name) if model is not None else None
            except FieldDoesNotExist:
                field = None
            if field is not None and (not field.concrete or field.primary_key):
                continue
            before, after = ([*values, "", ""])[:2]
            yield name, field, [str(before), str(after)]

    def _value(self, field: models.Field | None, value: str) -> str:
        if value in ("None", ""):
            return "—"
        if field is None:
            return value
        if field.many_to_one or field.one_to_one:
            # Bulk-written entries (portal.audit) already hold the name, not the id.
            if value.isdigit():
                return self.names.get(field.related_model, {}).get(int(value), f"#{value}")
            return value
        if field.choices:
            return str(dict((str(key), label) for key, label in field.choices).get(value, value))
        if isinstance(field, models.BooleanField):
            return _("是") if value == "True" else _("否")
        if isinstance(field, models.DateTimeField):
            return _as_local(value)
        return value


def field_label(field: models.Field) -> str:
    if str(field.verbose_name) != field.name.replace("_", " "):
        return str(field.verbose_name)  # declared on the model
    if field.name in FIELD_LABELS:
        return str(FIELD_LABELS[field.name])
    if field.related_model is not None:
        return str(field.related_model._meta.verbose_name)  # "unit" → 生产经营单位
    return field.name


def _as_local(value: str) -> str:
    """auditlog writes naive UTC ("2026-11-30 05:35:00.123"); portal.audit an aware value."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")
