from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Cycle
from portal.refusals import Refused
from portal.text import PlainTextField, refuse_control_characters
from portal.widgets import DateInput
from units.models import Area, Department

from .defaults import Cell
from .egress import check_endpoint
from .models import Category, DepartmentLink, Hazard, MeasureTaken, RectificationOrder, Result
from .models.notices import OUTSIDE_LIST

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
    """What the department did: only a kind of measure the notice lists (no heavier local
    measure); the choices offered are those, and a forged other kind is refused by name."""

    note = PlainTextField(
        label=_("措施说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = MeasureTaken
        fields = ["kind", "note", "taken_on"]
        widgets = {"taken_on": DateInput()}

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        allowed = notice.allowed_kinds()
        self.fields["kind"].choices = [
            (value, label) for value, label in MeasureTaken.Kind.choices if value in allowed
        ]
        self.fields["kind"].error_messages["invalid_choice"] = OUTSIDE_LIST
        if notice.basis:
            self.fields["kind"].help_text = _("本通报所列措施的依据：%(basis)s") % {
                "basis": notice.basis
            }

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
            except Refused as error:
                raise forms.ValidationError(str(error)) from error
        return url


class TokenForm(forms.Form):
    label = forms.CharField(label=_("用途"), max_length=100)


class PolicyForm(forms.Form):
    """Per (result, department) cell: notify or not, the measure, its category and the
    document and article it rests on (a measure without a basis is refused)."""

    note = forms.CharField(
        label=_("修订说明"), max_length=200, validators=[refuse_control_characters]
    )

    def __init__(self, *args, departments, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = list(departments)
        self.rows = []
        for result, label in Result.choices:
            cells = []
            for department in self.departments:
                key = f"{result}_{department.pk}"
                cell = rules.get((result, department.pk))
                names = {"r": label, "d": department.short_name}
                self.fields[f"notify_{key}"] = forms.BooleanField(
                    label=_("通报%(d)s") % names, required=False, initial=cell is not None
                )
                self.fields[f"measure_{key}"] = PlainTextField(
                    label=_("%(r)s · %(d)s 措施") % names,
                    required=False,
                    max_length=2000,
                    initial=cell.measure if cell else "",
                    widget=forms.Textarea(
                        attrs={"rows": 2, "class": "form-control form-control-sm"}
                    ),
                )
                self.fields[f"category_{key}"] = forms.ChoiceField(
                    label=_("%(r)s · %(d)s 措施类别") % names,
                    choices=Category.choices,
                    initial=cell.category if cell else Category.NOTICE,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )
                self.fields[f"document_{key}"] = forms.CharField(
                    label=_("%(r)s · %(d)s 依据文件") % names,
                    required=False,
                    max_length=200,
                    initial=cell.basis_document if cell else "",
                    validators=[refuse_control_characters],
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )
                self.fields[f"article_{key}"] = forms.CharField(
                    label=_("%(r)s · %(d)s 条款") % names,
                    required=False,
                    max_length=100,
                    initial=cell.basis_article if cell else "",
                    validators=[refuse_control_characters],
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )
                cells.append(
                    PolicyCell(
                        department,
                        *(self[f"{name}_{key}"] for name in PolicyCell.FIELDS),
                    )
                )
            self.rows.append((label, cells))

    def clean(self):
        data = super().clean()
        for result, _label in Result.choices:
            for department in self.departments:
                key = f"{result}_{department.pk}"
                if not data.get(f"notify_{key}"):
                    continue
                if not (data.get(f"measure_{key}") or "").strip():
                    self.add_error(f"measure_{key}", _("勾选通报的部门须填写措施内容。"))
                if not (data.get(f"document_{key}") or "").strip():
                    self.add_error(
                        f"document_{key}", _("请填写该措施所依据的法律、法规或政策文件。")
                    )
                if not (data.get(f"article_{key}") or "").strip():
                    self.add_error(f"article_{key}", _("请填写该措施所依据的条款。"))
        return data

    def cells(self) -> dict[tuple[str, int], Cell]:
        data = self.cleaned_data
        return {
            (result, department.pk): Cell(
                measure=data[f"measure_{key}"].strip(),
                category=data[f"category_{key}"],
                basis_document=data[f"document_{key}"].strip(),
                basis_article=data[f"article_{key}"].strip(),
            )
            for result, _label in Result.choices
            for department in self.departments
            for key in [f"{result}_{department.pk}"]
            if data.get(f"notify_{key}")
        }


class PolicyCell(NamedTuple):
    """One cell's bound fields, for the matrix templates."""

    FIELDS = ("notify", "measure", "category", "document", "article")

    department: Department
    notify: forms.BoundField
    measure: forms.BoundField
    category: forms.BoundField
    document: forms.BoundField
    article: forms.BoundField


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
