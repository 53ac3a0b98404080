"""Every date and date-time input, in every form and filter of every app, renders a value the
browser accepts (ISO), in Chinese as in English; a non-ISO value is silently dropped by the
browser, which then shows mm/dd/yyyy and refuses to submit a required field."""

import datetime
import importlib
import pkgutil
import re

import django_filters
import pytest
from django import forms
from django.forms.widgets import DateTimeBaseInput
from django.utils import timezone, translation

APPS = ["portal", "units", "assessments", "ratings", "linkage", "public"]
ISO = {"date": r"\d{4}-\d{2}-\d{2}", "datetime-local": r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"}
VALUE = {
    "date": datetime.date(2026, 11, 30),
    "datetime-local": timezone.make_aware(datetime.datetime(2026, 11, 30, 9, 5)),
}


def _import_every_module() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if not any(part in module.name for part in ("migrations", "settings", "demo")):
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in APPS


def date_widgets() -> list[tuple[str, forms.Widget]]:
    _import_every_module()
    found = []
    for form in filter(_ours, _subclasses(forms.BaseForm)):
        for name, field in getattr(form, "base_fields", {}).items():
            found.append((f"{form.__module__}.{form.__name__}.{name}", field.widget))
    for filterset in filter(_ours, _subclasses(django_filters.FilterSet)):
        for name, declared in filterset.base_filters.items():
            field = declared.field_class(**declared.extra)
            found.append((f"{filterset.__module__}.{filterset.__name__}.{name}", field.widget))
    return [
        (where, widget)
        for where, widget in found
        if isinstance(widget, DateTimeBaseInput) and widget.input_type in ISO
    ]


def test_the_walk_finds_the_forms_people_reported():
    found = {where for where, _widget in date_widgets()}
    assert {
        "linkage.forms.ReportForm.date_from",
        "linkage.forms.MeasureForm.taken_on",
        "ratings.forms.BatchForm.starts_at",
        "portal.filters.AuditFilter.since",
    } <= found


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_input_renders_an_iso_value(language):
    wrong = []
    with translation.override(language):
        for where, widget in date_widgets():
            html = widget.render("field", VALUE[widget.input_type])
            value = re.search(r'value="([^"]*)"', html)
            if not value or not re.fullmatch(ISO[widget.input_type], value.group(1)):
                wrong.append(f"{where}: {html}")
    assert wrong == []
