from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.forms import MultipleFileField
from assessments.models import Application
from assessments.uploads import DOCUMENTS_AND_IMAGES, check_application_total, check_upload
from portal.punctuation import punct
from portal.text import PlainTextField
from portal.widgets import DateInput, DateTimeInput

from . import captcha
from .models import Comment
from .models.replies import REPLY_MAX_LENGTH, clean_reply_text

PHONE = RegexValidator(r"^[0-9+\- ]{7,20}$", _("请填写有效的电话号码。"))


class ApplicationChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return gettext("%(unit)s（%(star)s，%(score)s分）") % {
            "unit": obj.unit.name,
            "star": obj.get_star_display(),
            "score": obj.comprehensive_score,
        }


class PublicityWindowForm(forms.Form):
    """A public-comment window: it ends after it starts, and not in the past."""

    starts_at = forms.DateTimeField(label=_("开始时间（北京时间）"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("截止时间（北京时间）"), widget=DateTimeInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("截止时间必须晚于开始时间。"))
        elif end and end <= timezone.now():
            self.add_error("ends_at", _("截止时间已过。"))
        return data


class BatchForm(PublicityWindowForm):
    field_order = ["title", "starts_at", "ends_at", "applications"]
    title = forms.CharField(label=_("公示标题"), max_length=100)
    applications = ApplicationChoices(label=_("公示单位"), queryset=Application.objects.none())

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications


class CommentForm(forms.Form):
    content = forms.CharField(
        label=_("意见内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    contact_name = forms.CharField(
        label=_("联系人姓名"), max_length=50, help_text=_("仅供监管局核实情况，不会公开。")
    )
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        validators=[PHONE],
        help_text=_("仅供监管局核实情况，不会公开。"),
    )
    # Honeypot: hidden from people (and from assistive technology); bots fill every field.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    captcha_answer = forms.CharField(label=_("验证问题"), max_length=4)
    captcha_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.renew_challenge()

    def renew_challenge(self) -> None:
        """A new question (after a wrong answer the old token is spent or invalid)."""
        question, token = captcha.new_challenge()
        self.fields["captcha_token"].initial = token
        self.fields["captcha_answer"].label = _("验证问题：%(q)s") % {"q": question}
        if self.is_bound:
            data = self.data.copy()
            data["captcha_token"] = token
            data["captcha_answer"] = ""
            self.data = data
        # Validation already built the bound fields with the old label; rebuild them so the
        # page shows the new question, not a bare "验证问题".
        for name in ("captcha_answer", "captcha_token"):
            self._bound_fields_cache.pop(name, None)

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        token, answer = data.get("captcha_token", ""), data.get("captcha_answer", "")
        if "captcha_answer" in data and not captcha.check(token, answer):
            self.add_error("captcha_answer", _("验证问题回答错误或已过期，请回答新的问题。"))
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("单位回复"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionForm(forms.Form):
    reasons = forms.CharField(
        label=_("异议理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    evidence = forms.FileField(
        label=_("证明材料"), required=False, help_text=_("PDF、JPEG 或 PNG，不超过 10 MB。")
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        self.evidence_type = (
            check_upload(upload, allowed=DOCUMENTS_AND_IMAGES).content_type if upload else ""
        )
        return upload


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理结论"), choices=Comment.Decision.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("处理意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GradeForm(forms.Form):
    new_score = forms.DecimalField(
        label=_("综合考评得分"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    has_veto = forms.BooleanField(label=_("存在否决项"), required=False)
    reason = forms.CharField(
        label=_("调整理由"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    comment = forms.ModelChoiceField(
        label=_("所答复的意见或异议"), queryset=Comment.objects.none(), required=False
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if comments is not None:
            self.fields["comment"].queryset = comments
            self.fields["comment"].label_from_instance = lambda c: (
                f"{c.get_kind_display()} #{c.pk}{punct('：')}{c.content[:30]}"
            )
        else:
            del self.fields["comment"]


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("报送说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("confirm", _("确认")), ("return", _("退回"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("意见（退回时必填）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PublicationForm(forms.Form):
    publish_on = forms.DateField(label=_("公布日期"), widget=DateInput())
    document_number = forms.IntegerField(
        label=_("通报文号序号"), min_value=1, help_text=_("新安监〔年份〕N号中的 N")
    )
    applications = ApplicationChoices(label=_("公布的结果"), queryset=Application.objects.none())

    def __init__(self, *args, applications=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications

    def clean_publish_on(self):
        value = self.cleaned_data["publish_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("公布日期不能早于今天。"))
        return value


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销理由（将向社会公开）"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CertificateUploadForm(forms.Form):
    pdf = forms.FileField(label=_("证书PDF文件"), help_text=_("不超过 5 MB。"))
    code = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_pdf(self):
        from .certificate_check import MAX_BYTES

        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("文件超过 5 MB，不是本平台签发的证书。"), code="size")
        return upload


# --- re-rating after rectification ---

RECTIFICATION_MAX_FILES = 10


class ReratingRequestForm(forms.Form):
    statement = PlainTextField(
        label=_("整改情况说明"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明原结果所依据的问题整改了什么、何时完成、由谁验收。"),
    )
    files = MultipleFileField(
        label=_("整改证明材料"),
        help_text=_(
            "整改前后照片、验收记录、培训签到表等；PDF、图片或 Office 文档，可选多个文件。"
        ),
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if not uploads:
            raise forms.ValidationError(_("请至少上传一个整改证明材料。"))
        if len(uploads) > RECTIFICATION_MAX_FILES:
            raise forms.ValidationError(
                _("一次最多上传 %(n)d 个文件。") % {"n": RECTIFICATION_MAX_FILES}
            )
        checked, errors, total = [], [], 0
        for upload in uploads:
            try:
                one = check_upload(upload)
                check_application_total(total, one.size)
            except forms.ValidationError as error:
                errors.extend(error.messages)
                continue
            total += one.size
            checked.append(one)
        if errors:
            raise forms.ValidationError(errors)
        return checked


class ReratingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("受理意见"),
        choices=[("accept", _("受理，组织专家评估")), ("refuse", _("不予受理"))],
        widget=forms.RadioSelect,
    )
    reason = PlainTextField(
        label=_("理由（将告知申请单位）"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReratingPublicityForm(PublicityWindowForm):
    """A re-rating's own one-unit window, under the same rule as the annual one."""


class ReratingPublicationForm(forms.Form):
    publish_on = forms.DateField(label=_("公布日期"), widget=DateInput())
    document_number = forms.IntegerField(
        label=_("通报文号序号"), min_value=1, help_text=_("新安监〔年份〕N号中的 N")
    )

    def clean_publish_on(self):
        value = self.cleaned_data["publish_on"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("公布日期不能早于今天。"))
        return value


class RatingReplyForm(forms.Form):
    # The length is checked after line ends are normalised (clean_reply_text), not before.
    text = forms.CharField(
        label=_("回应内容"),
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": REPLY_MAX_LENGTH, "class": "form-control"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        text.error_messages["required"] = gettext("请填写回应内容。")
        # clean_reply_text names every control character, NUL included, in one message.
        text.validators = []
        text.help_text = gettext(
            "纯文本，最多 %(max)d 个字；经市安全生产监管局审核后与评级结果一并公开，"
            "并注明为企业自己的表述。"
        ) % {"max": REPLY_MAX_LENGTH}

    def clean_text(self):
        return clean_reply_text(self.cleaned_data["text"])


class ReplyDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("审核结果"),
        choices=[
            ("publish", _("按原文公开")),
            ("shorten", _("删节后公开")),
            ("refuse", _("不予公开")),
        ],
        widget=forms.RadioSelect,
    )
    shortened_text = forms.CharField(
        label=_("删节后的文字"),
        required=False,
        max_length=REPLY_MAX_LENGTH,
        help_text=_("只能删去原文中的文字，不能改写或添加。"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=500,
        help_text=_("删节或不予公开时必填，理由将告知企业并记入审计日志。"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )


class ObjectionDecisionForm(forms.Form):
    """The independent officer's decision on an objection (异议复核决定)."""

    upheld = forms.TypedChoiceField(
        label=_("复核结论"),
        choices=[("1", _("异议成立")), ("0", _("异议不成立"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decision_text = forms.CharField(
        label=_("复核意见"),
        help_text=_("写明认定的事实、理由和依据，将载入复核决定书。"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    new_score = forms.DecimalField(
        label=_("复核后综合考评得分"),
        help_text=_("异议成立且针对拟定结果时填写；星级按得分和否决项自动计算。"),
        required=False,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    new_has_veto = forms.BooleanField(label=_("复核后仍存在否决项"), required=False)

    def __init__(self, *args, proposed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed = proposed
        if not proposed:
            del self.fields["new_score"]
            del self.fields["new_has_veto"]

    def clean(self):
        data = super().clean()
        if self.proposed and data.get("upheld") and data.get("new_score") is None:
            self.add_error("new_score", _("异议成立时请填写复核后的综合考评得分。"))
        return data
