"""Forms of the assessments stage: cycles, standards, pledges, implementation records,
self-assessment, acceptance, experts, scoring, the grade review and service ratings (好差评).
"""

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    Cycle,
    Expert,
    MonthlyCheck,
    ScoringStandard,
    StandardCategory,
    StandardItem,
    Status,
    VetoItem,
    WorkPlan,
)
from assessments.services.acceptance import RETURN_REASONS
from assessments.services.evaluation import ItemEntry
from assessments.uploads import ACCEPT_ATTRIBUTE
from portal.models import Role, User
from portal.text import PlainTextField
from portal.widgets import DateInput, bootstrap
from units.forms import CreditCodeField
from units.models import Unit


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


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
        bootstrap(self)


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
        bootstrap(self)
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


# --- experts, scoring and the grade review -------------------------------------------------------


class ExpertForm(forms.ModelForm):
    class Meta:
        model = Expert
        fields = ["kind", "name", "field", "qualification", "phone", "email", "user", "is_active"]
        help_texts = {"user": _("关联一个角色为“专家、中介机构”的登录账号，专家才能在线评分。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Expert.objects.exclude(pk=self.instance.pk).exclude(user=None).values("user")
        self.fields["user"].queryset = User.objects.filter(
            role=Role.EXPERT, is_active=True
        ).exclude(pk__in=taken)


class ConflictForm(forms.Form):
    """An expert declares, ahead of any assignment, a unit they may not evaluate."""

    credit_code = CreditCodeField(label=_("单位统一社会信用代码"), max_length=30)
    reason = forms.CharField(
        label=_("利害关系说明"),
        max_length=200,
        help_text=_("例如：曾在该单位任职、近亲属任职、有业务往来。"),
    )

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"]
        unit = Unit.objects.filter(credit_code=code).first()
        if unit is None:
            raise forms.ValidationError(_("未找到该统一社会信用代码对应的单位，请核对。"))
        self.unit = unit
        return code


class DeclarationForm(forms.Form):
    """Before scoring: no conflict of interest, or a conflict (which withdraws the expert)."""

    decision = forms.ChoiceField(
        label=_("利益冲突声明"),
        widget=forms.RadioSelect,
        choices=[
            ("none", _("本人与该单位不存在利害关系，承诺客观、公正、独立地评估")),
            ("conflict", _("本人与该单位存在利害关系，申请回避")),
        ],
    )
    reason = forms.CharField(label=_("利害关系说明"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "conflict" and not data.get("reason", "").strip():
            self.add_error("reason", _("申请回避时请说明利害关系。"))
        return data


def _score_messages(code: str) -> dict[str, str]:
    # The messages are %-formatted with the validator's parameters; a literal % must be doubled.
    code = code.replace("%", "%%")
    return {
        "invalid": gettext("第 %(code)s 项：请输入数字评分。") % {"code": code},
        "min_value": gettext("第 %(code)s 项的评分不能低于 0 分。") % {"code": code},
        "max_value": gettext("第 %(code)s 项的评分不能超过满分 %%(limit_value)s 分。")
        % {"code": code},
        "max_decimal_places": gettext("第 %(code)s 项的评分最多保留一位小数。") % {"code": code},
        "max_digits": gettext("第 %(code)s 项的评分格式不正确。") % {"code": code},
        "max_whole_digits": gettext("第 %(code)s 项的评分格式不正确。") % {"code": code},
    }


class ScoringForm(forms.Form):
    """Every item of the cycle's standard: a score (0..max, one decimal) and a finding; every
    veto item: found or not, with the facts. ``signing`` requires every item scored."""

    overall_opinion = forms.CharField(
        label=_("综合评估意见"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args, items, vetoes, scores=None, findings=None, found=None, signing=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.items, self.vetoes, self.signing = list(items), list(vetoes), signing
        scores, findings, found = scores or {}, findings or {}, found or {}
        for item in self.items:
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label=gettext("第 %(code)s 项评分") % {"code": item.code},
                required=False,
                min_value=Decimal(0),
                max_value=item.max_points,
                max_digits=4,
                decimal_places=1,
                initial=scores.get(item.pk),
                error_messages=_score_messages(item.code),
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.1",
                        "min": "0",
                        "max": item.max_points,
                        "class": "form-control score-input",
                    }
                ),
            )
            self.fields[f"finding_{item.pk}"] = forms.CharField(
                label=gettext("第 %(code)s 项评估发现") % {"code": item.code},
                required=False,
                initial=findings.get(item.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        for veto in self.vetoes:
            self.fields[f"veto_{veto.pk}"] = forms.BooleanField(
                label=gettext("存在否决项 %(code)s") % {"code": veto.code},
                required=False,
                initial=veto.pk in found,
            )
            self.fields[f"veto_evidence_{veto.pk}"] = forms.CharField(
                label=gettext("否决项 %(code)s 的事实与依据") % {"code": veto.code},
                required=False,
                initial=found.get(veto.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
        self.fields["overall_opinion"].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        for veto in self.vetoes:
            if data.get(f"veto_{veto.pk}") and not data.get(f"veto_evidence_{veto.pk}", "").strip():
                self.add_error(
                    f"veto_evidence_{veto.pk}",
                    gettext("认定否决项 %(code)s 时请写明事实与依据。") % {"code": veto.code},
                )
        if self.signing:
            for item in self.items:
                name = f"score_{item.pk}"
                if name not in self.errors and data.get(name) is None:
                    self.add_error(
                        name,
                        gettext("第 %(code)s 项尚未评分，签署前须全部评分。") % {"code": item.code},
                    )
        return data

    def rows(self):
        """(item, score field, finding field) for the template, in standard order."""
        return [(item, self[f"score_{item.pk}"], self[f"finding_{item.pk}"]) for item in self.items]

    def veto_rows(self):
        return [
            (veto, self[f"veto_{veto.pk}"], self[f"veto_evidence_{veto.pk}"])
            for veto in self.vetoes
        ]

    def entries(self) -> dict[int, ItemEntry]:
        return {
            item.pk: ItemEntry(
                self.cleaned_data[f"score_{item.pk}"],
                self.cleaned_data[f"finding_{item.pk}"].strip(),
            )
            for item in self.items
        }

    def veto_findings(self) -> dict[int, str]:
        return {
            veto.pk: self.cleaned_data[f"veto_evidence_{veto.pk}"].strip()
            for veto in self.vetoes
            if self.cleaned_data[f"veto_{veto.pk}"]
        }


class GradeForm(forms.Form):
    adjustment = forms.DecimalField(
        label=_("考评调整分"),
        min_value=Decimal("-100"),
        max_value=Decimal("100"),
        max_digits=4,
        decimal_places=1,
        initial=Decimal("0"),
        help_text=_("正数加分，负数减分；不调整请保留 0。"),
        widget=forms.NumberInput(attrs={"step": "0.1", "class": "form-control score-input"}),
    )
    reason = forms.CharField(
        label=_("调整理由"),
        required=False,
        help_text=_("调整分数时必填，将记入诚信档案。"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    expected_status = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("adjustment") and not data.get("reason", "").strip():
            self.add_error("reason", _("调整分数必须填写调整理由。"))
        return data


# 好差评 (decision 0107)
SERVICE_SCORES = [
    (5, _("5 分 非常满意")),
    (4, _("4 分 满意")),
    (3, _("3 分 基本满意")),
    (2, _("2 分 不满意")),
    (1, _("1 分 非常不满意")),
]


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("评价"), choices=SERVICE_SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = PlainTextField(
        label=_("评价意见"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = PlainTextField(
        label=_("答复内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
