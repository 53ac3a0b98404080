from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.uploads import DOCUMENTS_AND_IMAGES, check_upload
from portal.text import PlainTextField

from .models import Severity


class RepairApplyForm(forms.Form):
    statement = PlainTextField(
        label=_("整改情况说明"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说明已纠正的失信行为、已履行的法定义务和整改验收情况。"),
    )
    evidence = forms.FileField(
        label=_("整改证明材料"), help_text=_("PDF、JPEG 或 PNG，不超过 10 MB。")
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        self.evidence_type = check_upload(upload, allowed=DOCUMENTS_AND_IMAGES).content_type
        return upload


class RepairDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[("grant", _("准予信用修复，停止公示")), ("refuse", _("不予修复"))],
        widget=forms.RadioSelect,
    )
    reason = PlainTextField(
        label=_("决定理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisplayPeriodForm(forms.Form):
    severity = forms.ChoiceField(label=_("严重程度"), choices=Severity.choices)
    shortest_months = forms.IntegerField(label=_("最短公示期（月）"), min_value=0, max_value=120)
    longest_months = forms.IntegerField(label=_("最长公示期（月）"), min_value=1, max_value=120)

    def clean(self):
        data = super().clean()
        shortest, longest = data.get("shortest_months"), data.get("longest_months")
        if shortest is not None and longest is not None and shortest > longest:
            self.add_error("shortest_months", _("最短公示期不能长于最长公示期。"))
        return data
