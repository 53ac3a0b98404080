"""Forms of the expert roster, scoring and the grade review."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Expert
from assessments.services.evaluation import ItemEntry
from portal.models import Role, User
from units.forms import CreditCodeField
from units.models import Unit


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
