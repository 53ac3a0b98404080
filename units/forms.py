from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from portal.models import Role, User
from portal.text import refuse_control_characters

from .credit_code import normalize
from .models import Unit


class CreditCodeField(forms.CharField):
    """Forgives spaces and lower case; the model validator explains any other mistake."""

    def to_python(self, value):
        return normalize(super().to_python(value) or "")


class UnitForm(forms.ModelForm):
    credit_code = CreditCodeField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18位，字母大写，不使用 I、O、S、V、Z。"),
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "credit_code",
            "legal_representative",
            "address",
            "area",
            "industry",
            "supervising_department",
            "contact_name",
            "contact_phone",
        ]

    # Names reach e-mail subjects, PDFs and spreadsheets: one line of printable text each.
    SINGLE_LINE_FIELDS = (
        "name",
        "legal_representative",
        "address",
        "contact_name",
        "contact_phone",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.SINGLE_LINE_FIELDS + ("display_name",):
            if name in self.fields:
                self.fields[name].validators.append(refuse_control_characters)


class RegistrationForm(UnitForm):
    """An enterprise registers its unit and its first account; the bureau approves the unit."""

    username = forms.CharField(label=_("登录用户名"), max_length=150)
    display_name = forms.CharField(label=_("经办人姓名"), max_length=100)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("用于接收通知和重置密码。"))
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)
    website = forms.CharField(  # honeypot: people never see it, form-filling bots do
        required=False,
        label=_("网址（请勿填写）"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return username

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交被拒绝。"))
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif data.get("password1"):
            probe = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password1"], probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self, commit=True):
        unit = super().save()
        user = User(
            username=self.cleaned_data["username"],
            email=self.cleaned_data["email"],
            display_name=self.cleaned_data["display_name"],
            role=Role.ENTERPRISE,
            unit=unit,
        )
        user.set_password(self.cleaned_data["password1"])
        user.save()
        return unit


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[("approve", _("通过")), ("reject", _("不通过"))]
    )
    note = forms.CharField(label=_("审核意见"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("note"):
            self.add_error("note", _("不通过时请填写理由。"))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("导入文件"), help_text=_("CSV（UTF-8 或 GBK）或 Excel（.xlsx）"))
    only_valid = forms.BooleanField(label=_("只导入无误的行（跳过有错误的行）"), required=False)

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("文件过大（%(size)d KB），上限为 %(limit)d KB。")
                % {"size": upload.size // 1024, "limit": settings.IMPORT_MAX_FILE_BYTES // 1024}
            )
        return upload
