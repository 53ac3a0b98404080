"""Forms of cycles, standards, pledges, implementation records, self-assessment, acceptance."""

from decimal import Decimal

import django_filters
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Application,
    Cycle,
    MonthlyCheck,
    ScoringStandard,
    StandardCategory,
    StandardItem,
    Status,
    VetoItem,
    WorkPlan,
)
from assessments.services.acceptance import RETURN_REASONS
from assessments.uploads import ACCEPT_ATTRIBUTE
from portal.models import Role, User
from portal.widgets import DateInput
from units.models import Area, Industry


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


# --- cycles ---


class CycleForm(StyledModelForm):
    class Meta:
        model = Cycle
        fields = [
            "year",
            "name",
            "standard",
            "pledge_deadline",
            "application_deadline",
            "comment_start",
            "comment_end",
            "pledge_text",
            "gap_threshold",
        ]
        widgets = {
            "pledge_deadline": DateInput(),
            "application_deadline": DateInput(),
            "comment_start": DateInput(),
            "comment_end": DateInput(),
            "pledge_text": forms.Textarea(attrs={"rows": 10}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            year = timezone.localdate().year
            self.initial.setdefault("year", year)
            self.initial.setdefault("name", f"{year}年度")

    def clean_standard(self):
        standard = self.cleaned_data["standard"]
        standard.validate_total()
        return standard

    def clean(self):
        data = super().clean()
        pledge, application = data.get("pledge_deadline"), data.get("application_deadline")
        start, end = data.get("comment_start"), data.get("comment_end")
        if pledge and application and application < pledge:
            self.add_error("application_deadline", _("评估申请截止日期不能早于承诺书截止日期。"))
        if start and end and end < start:
            self.add_error("comment_end", _("意见征询结束日期不能早于开始日期。"))
        if application and start and start <= application:
            self.add_error("comment_start", _("意见征询应在评估申请截止之后开始。"))
        return data


class CycleDatesForm(CycleForm):
    """Editing an open cycle: its dates and pledge text; the standard stays as opened."""

    class Meta(CycleForm.Meta):
        fields = [
            "name",
            "pledge_deadline",
            "application_deadline",
            "comment_start",
            "comment_end",
            "pledge_text",
            "gap_threshold",
        ]


# --- scoring standards ---


class StandardHeaderForm(StyledModelForm):
    class Meta:
        model = ScoringStandard
        fields = ["name", "version"]


class CopyStandardForm(forms.Form):
    version = forms.CharField(
        label=_("新版本号"), max_length=20, required=False, help_text=_("留空则自动编号")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class CategoryForm(StyledModelForm):
    class Meta:
        model = StandardCategory
        fields = ["code", "name", "order"]


class ItemForm(StyledModelForm):
    class Meta:
        model = StandardItem
        fields = [
            "category",
            "code",
            "text",
            "max_points",
            "guidance",
            "evidence_expected",
            "order",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
            "evidence_expected": forms.Textarea(attrs={"rows": 2}),
        }


class VetoForm(StyledModelForm):
    class Meta:
        model = VetoItem
        fields = ["code", "text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


CategoryFormSet = inlineformset_factory(
    ScoringStandard, StandardCategory, form=CategoryForm, extra=1, can_delete=True
)
VetoFormSet = inlineformset_factory(
    ScoringStandard, VetoItem, form=VetoForm, extra=1, can_delete=True
)


class BaseItemFormSet(forms.BaseModelFormSet):
    """Items of every category of one standard, edited together so the total can be checked."""

    def __init__(self, *args, standard: ScoringStandard, **kwargs):
        self.standard = standard
        kwargs.setdefault("queryset", standard.items())
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["category"].queryset = self.standard.categories.all()
        return form

    def clean(self):
        super().clean()
        total = Decimal(0)
        for form in self.forms:
            if not form.is_valid() or (self.can_delete and self._should_delete_form(form)):
                continue
            points = form.cleaned_data.get("max_points")
            if points is not None:
                total += points
        if total != Decimal(100):
            raise forms.ValidationError(
                _("各评分项满分之和应为100分，当前为%(total)s分。") % {"total": total}
            )


ItemFormSet = forms.modelformset_factory(
    StandardItem, form=ItemForm, formset=BaseItemFormSet, extra=2, can_delete=True
)


# --- pledge and implementation ---


class PledgeForm(forms.Form):
    signatory = forms.CharField(label=_("签署人（法定代表人或主要负责人）"), max_length=50)
    signatory_title = forms.CharField(label=_("职务"), max_length=50)
    agree = forms.BooleanField(
        label=_("本单位已阅读并郑重作出上述承诺"),
        error_messages={"required": _("请确认已阅读并作出承诺。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["agree"].widget.attrs["class"] = "form-check-input"


class WorkPlanForm(StyledModelForm):
    class Meta:
        model = WorkPlan
        fields = ["plan", "measures_and_goals", "group_leader", "group_members"]
        widgets = {
            "plan": forms.Textarea(attrs={"rows": 6}),
            "measures_and_goals": forms.Textarea(attrs={"rows": 4}),
            "group_members": forms.Textarea(attrs={"rows": 4}),
        }


class MonthlyCheckForm(StyledModelForm):
    class Meta:
        model = MonthlyCheck
        fields = ["production_unit", "month", "result", "problems", "checked_by"]
        widgets = {"month": DateInput(), "problems": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"month": _("选择该月任意一天")}

    def __init__(self, *args, cycle=None, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle, self.unit = cycle, unit

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)

    def clean(self):
        data = super().clean()
        if data.get("month") and data.get("production_unit") and self.cycle is not None:
            duplicate = MonthlyCheck.objects.filter(
                cycle=self.cycle,
                unit=self.unit,
                production_unit=data["production_unit"],
                month=data["month"],
            )
            if duplicate.exists():
                self.add_error("month", _("该生产作业单元本月已有考核记录。"))
        return data


# --- self-assessment ---


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks happen in assessments.uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [file for file in data if file]
        return [data] if data else []


ITEM_NOTES_MAX_LENGTH = 5000


class ItemScoreForm(forms.Form):
    """One item of the standard: self-score 0..max with one decimal, notes, evidence files."""

    score = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_digits=4,
        decimal_places=1,
        # A text box keeps whatever was typed, so a mistake is shown, not silently dropped.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control score"}),
        error_messages={
            "invalid": _("请输入数字，例如 3.5"),
            "max_decimal_places": _("最多保留一位小数"),
            "max_digits": _("数字过大"),
            "min_value": _("自评分不能为负数"),
        },
    )
    notes = forms.CharField(
        required=False,
        max_length=ITEM_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    files = MultipleFileField()

    def __init__(self, *args, item: StandardItem, **kwargs):
        super().__init__(*args, prefix=f"item-{item.pk}", **kwargs)
        self.item = item
        score = self.fields["score"]
        score.max_value = item.max_points
        score.label = _("%(code)s 自评分（0–%(max)s）") % {
            "code": item.code,
            "max": item.max_points,
        }
        score.widget.attrs["max"] = str(item.max_points)
        self.fields["notes"].label = _("%(code)s 说明") % {"code": item.code}
        self.fields["files"].label = _("%(code)s 证明材料") % {"code": item.code}

    def clean_score(self):
        score = self.cleaned_data["score"]
        if score is not None and score > self.item.max_points:
            raise forms.ValidationError(
                _("不能超过本项满分%(max)s分") % {"max": self.item.max_points}
            )
        return score


class SelfReportForm(forms.Form):
    self_report = forms.CharField(
        label=_("自查报告"),
        required=False,
        max_length=20000,
        # Optional for a draft, required for submission (Application.missing_parts).
        widget=forms.Textarea(
            attrs={"rows": 8, "class": "form-control", "data-submit-requires": "report"}
        ),
        help_text=_("概述本单位自查的组织、方法、发现的问题和整改情况。"),
    )
    declared_vetoes = forms.ModelMultipleChoiceField(
        label=_("自查发现的否决项"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("如实申报；存在任何一项否决项即不能评为星级。"),
    )

    def __init__(self, *args, standard: ScoringStandard, **kwargs):
        super().__init__(*args, prefix="report", **kwargs)
        self.fields["declared_vetoes"].queryset = standard.vetoes.all()


class TransitionForm(forms.Form):
    """A button that changes the state: carries the state the user saw (double-click guard)."""

    # A choice, so a missing or garbled value is refused as an invalid request.
    expected_status = forms.ChoiceField(choices=Status.choices, widget=forms.HiddenInput)


# --- acceptance ---


class ReturnForm(TransitionForm):
    reason_codes = forms.MultipleChoiceField(
        label=_("退回原因"),
        choices=RETURN_REASONS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项退回原因。")},
    )
    reason = forms.CharField(
        label=_("具体说明"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
        help_text=_("写明需要补正的内容，企业将看到这段说明。"),
    )

    def clean(self):
        data = super().clean()
        if "other" in data.get("reason_codes", []) and not data.get("reason", "").strip():
            self.add_error("reason", _("选择“其他”时请写明原因。"))
        return data


class HandlerForm(forms.Form):
    expected_handler = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action = forms.ChoiceField(
        choices=[("take", "take"), ("assign", "assign"), ("release", "release")]
    )
    colleague = forms.ModelChoiceField(
        label=_("转交给"),
        queryset=User.objects.filter(role=Role.BUREAU, is_active=True).order_by("username"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("colleague"):
            self.add_error("colleague", _("请选择要转交的同事。"))
        return data


class AcceptanceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[
            ("submitted", _("待受理")),
            ("returned", _("已退回补正")),
            ("accepted", _("已受理")),
        ],
        empty_label=_("待受理（默认）"),
        method="filter_status",
    )
    area = django_filters.ModelChoiceFilter(
        field_name="unit__area", queryset=Area.objects.all(), label=_("乡镇街道")
    )
    industry = django_filters.ModelChoiceFilter(
        field_name="unit__industry", queryset=Industry.objects.all(), label=_("行业")
    )
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label=_("提交日期自"),
        widget=DateInput(),
    )
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label=_("提交日期至"),
        widget=DateInput(),
    )
    handler = django_filters.ChoiceFilter(
        label=_("经办人"),
        choices=[("unassigned", _("未分配")), ("mine", _("我经办的"))],
        empty_label=_("全部"),
        method="filter_handler",
    )

    class Meta:
        model = Application
        fields = ["status", "area", "industry", "submitted_from", "submitted_to", "handler"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_handler(self, queryset, name, value):
        if value == "unassigned":
            return queryset.filter(handler__isnull=True)
        if value == "mine":
            return queryset.filter(handler=self.request.user)
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status="submitted")
        return queryset

    @property
    def form(self):
        form = super().form
        _style(form)
        return form
