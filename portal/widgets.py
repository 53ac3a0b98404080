"""The date and date-time inputs every form uses.

A browser's ``<input type="date">`` accepts only ``YYYY-MM-DD`` (and ``datetime-local`` only
``YYYY-MM-DDTHH:MM``), whatever language the page is in. Django's own widgets render the active
locale's first input format instead: in Chinese that is ``2026/11/30``, which the browser
discards, so the field shows mm/dd/yyyy and a required field can no longer be submitted.
These widgets pin the ISO format; parsing still accepts what the locale allows.
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format=ISO_DATETIME)


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Give each field of ``form`` its Bootstrap 5 class, unless the field set one itself.

    The one helper every form and filter uses; check boxes keep their own markup.
    """
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        widget.attrs.setdefault(
            "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
        )
    return form
