from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Cycle
from portal.widgets import DateInput
from units.models import Area, Department

from .egress import EndpointRefused, check_endpoint
from .models import DepartmentLink, Hazard, MeasureTaken, RectificationOrder, Result

YES_NO = [("", _("全部")), ("no", _("未签收")), ("yes", _("已签收"))]


class CycleYearChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.year)


class NoticeFilterForm(forms.Form):
    cycle = CycleYearChoice(
        label=_("考核年度"),
        required=False,
        empty_label=_("全部"),
        queryset=Cycle.objects.order_by("-year"),
    )
    result = forms.ChoiceField(
        label=_("结果"), required=False, choices=[("", _("全部"))] + Result.choices
    )
    area = forms.ModelChoiceField(
        label=_("乡镇街道"), required=False, empty_label=_("全部"), queryset=Area.objects.all()
    )
    acknowledged = forms.ChoiceField(label=_("签收"), required=False, choices=YES_NO)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filter(self, notices):
        if not self.is_valid():
            return notices
        data = self.cleaned_data
        if data["cycle"]:
            notices = notices.filter(rating__cycle=data["cycle"])
        if data["result"]:
            notices = notices.filter(result=data["result"])
        if data["area"]:
            notices = notices.filter(unit__area=data["area"])
        if data["acknowledged"]:
            notices = notices.filter(acknowledged_at__isnull=data["acknowledged"] == "no")
        return notices


class MeasureForm(forms.ModelForm):
    class Meta:
        model = MeasureTaken
        fields = ["kind", "note", "taken_on"]
        widgets = {"taken_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def clean_taken_on(self):
        taken_on = self.cleaned_data["taken_on"]
        if taken_on > timezone.localdate():
            raise ValidationError(_("实施日期不能晚于今天。"))
        return taken_on


class DepartmentLinkForm(forms.ModelForm):
    class Meta:
        model = DepartmentLink
        fields = ["is_enabled", "email", "ack_deadline_days"]

    def clean_ack_deadline_days(self):
        days = self.cleaned_data["ack_deadline_days"]
        if not 1 <= days <= 60:
            raise ValidationError(_("签收期限应在 1 至 60 天之间。"))
        return days


class WebhookForm(forms.Form):
    webhook_url = forms.URLField(
        label=_("Webhook 地址"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("留空则停用 Webhook。"),
    )
    rotate_secret = forms.BooleanField(label=_("重新生成密钥"), required=False)

    def clean_webhook_url(self):
        url = self.cleaned_data["webhook_url"]
        if url:
            try:
                check_endpoint(url)
            except EndpointRefused as error:
                raise forms.ValidationError(str(error)) from error
        return url


class TokenForm(forms.Form):
    label = forms.CharField(label=_("用途"), max_length=100)


class PolicyForm(forms.Form):
    """One checkbox and one measure text per (result, department) cell."""

    note = forms.CharField(label=_("修订说明"), max_length=200)

    def __init__(self, *args, departments, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = list(departments)
        self.rows = []
        for result, label in Result.choices:
            cells = []
            for department in self.departments:
                key = f"{result}_{department.pk}"
                measure = rules.get((result, department.pk))
                self.fields[f"notify_{key}"] = forms.BooleanField(
                    label=_("通报%(d)s") % {"d": department.short_name},
                    required=False,
                    initial=measure is not None,
                )
                self.fields[f"measure_{key}"] = forms.CharField(
                    label=_("%(r)s · %(d)s 措施") % {"r": label, "d": department.short_name},
                    required=False,
                    initial=measure or "",
                    widget=forms.Textarea(
                        attrs={"rows": 2, "class": "form-control form-control-sm"}
                    ),
                )
                cells.append((department, self[f"notify_{key}"], self[f"measure_{key}"]))
            self.rows.append((label, cells))

    def clean(self):
        data = super().clean()
        for result, _label in Result.choices:
            for department in self.departments:
                key = f"{result}_{department.pk}"
                if data.get(f"notify_{key}") and not (data.get(f"measure_{key}") or "").strip():
                    self.add_error(f"measure_{key}", _("勾选通报的部门须填写措施内容。"))
        return data

    def cells(self) -> dict[tuple[str, int], str]:
        return {
            (result, department.pk): self.cleaned_data[f"measure_{result}_{department.pk}"].strip()
            for result, _label in Result.choices
            for department in self.departments
            if self.cleaned_data.get(f"notify_{result}_{department.pk}")
        }


class ReportForm(forms.Form):
    GROUPS = [("department", _("按部门")), ("area", _("按乡镇街道")), ("cycle", _("按考核周期"))]

    date_from = forms.DateField(label=_("起始日期"), widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), widget=DateInput())
    group_by = forms.ChoiceField(label=_("汇总方式"), choices=GROUPS, initial="department")
    cycle = forms.ModelChoiceField(
        label=_("考核周期"), required=False, queryset=Cycle.objects.all()
    )
    area = forms.ModelChoiceField(label=_("乡镇街道"), required=False, queryset=Area.objects.all())
    department = forms.ModelChoiceField(
        label=_("部门"), required=False, queryset=Department.objects.filter(is_linked=True)
    )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return data


class PlanForm(forms.Form):
    planned_on = forms.DateField(label=_("计划日期"), widget=DateInput())

    def clean_planned_on(self):
        planned_on = self.cleaned_data["planned_on"]
        if planned_on < timezone.localdate():
            raise ValidationError(_("计划日期不能早于今天。"))
        return planned_on


class InspectionRecordForm(forms.Form):
    inspected_on = forms.DateField(label=_("实施日期"), widget=DateInput())
    inspector = forms.CharField(label=_("督查人员"), max_length=100)
    findings = forms.CharField(label=_("督查情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def clean_inspected_on(self):
        inspected_on = self.cleaned_data["inspected_on"]
        if inspected_on > timezone.localdate():
            raise ValidationError(_("实施日期不能晚于今天。"))
        return inspected_on


class HazardForm(forms.Form):
    description = forms.CharField(label=_("隐患描述"), max_length=300, required=False)
    severity = forms.ChoiceField(
        label=_("隐患等级"), choices=Hazard.Severity.choices, initial=Hazard.Severity.GENERAL
    )
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("deadline"):
            self.add_error("deadline", _("请填写该隐患的整改期限。"))
        return data


HazardFormSet = forms.formset_factory(HazardForm, extra=3, max_num=20)


class RectifiedForm(forms.Form):
    rectified_on = forms.DateField(label=_("整改完成日期"), widget=DateInput())

    def clean_rectified_on(self):
        value = self.cleaned_data["rectified_on"]
        if value > timezone.localdate():
            raise ValidationError(_("整改完成日期不能晚于今天。"))
        return value


class OrderForm(forms.Form):
    requirements = forms.CharField(label=_("整改要求"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("整改期限"), widget=DateInput())


class OrderOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("整改结果"), choices=RectificationOrder.Outcome.choices)
    outcome_note = forms.CharField(label=_("结果说明"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome_on = forms.DateField(label=_("结果日期"), widget=DateInput())

    def clean_outcome_on(self):
        value = self.cleaned_data["outcome_on"]
        if value > timezone.localdate():
            raise ValidationError(_("结果日期不能晚于今天。"))
        return value


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("解除理由"), widget=forms.Textarea(attrs={"rows": 3}))
