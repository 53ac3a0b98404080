import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import BUSINESS_ROLES, Role, User
from portal.widgets import DateInput, bootstrap


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续多次错误后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系市安全生产监管局。"),
    }


def _refuse_control_characters(value: str) -> None:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(_("不能包含控制字符（如换行、制表符）。"), code="control")


class UserAccountForm(forms.ModelForm):
    """The system administrator's form for a business account: who it is, its one role and the
    unit, area or department that role is bound to. Administrator roles are not offered."""

    BINDING = {
        Role.ENTERPRISE: "unit",
        Role.TOWNSHIP: "area",
        Role.SUPERVISOR: "department",
        Role.DEPARTMENT: "department",
    }

    role = forms.ChoiceField(label=_("角色"), choices=[(r.value, r.label) for r in BUSINESS_ROLES])

    class Meta:
        model = User
        fields = [
            "username",
            "display_name",
            "email",
            "phone",
            "role",
            "unit",
            "area",
            "department",
        ]
        help_texts = {"username": _("登录用的用户名，150 个字符以内：字母、数字和 @/./+/-/_。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A user name is how the audit log and colleagues know the account; it stays.
            self.fields["username"].disabled = True
        for name in ("display_name", "phone"):
            self.fields[name].validators.append(_refuse_control_characters)
        self.fields["email"].required = True
        bootstrap(self)

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        needed = self.BINDING.get(role)
        for name in ("unit", "area", "department"):
            if name != needed:
                cleaned[name] = None  # a binding the role does not use is dropped, not kept
        if needed and not cleaned.get(needed):
            self.add_error(
                needed, _("该角色必须选择%(field)s。") % {"field": self.fields[needed].label}
            )
        return cleaned


class OwnPasswordChangeForm(PasswordChangeForm):
    """The holder chooses a password: any "must change" mark set by an administrator ends."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class OwnSetPasswordForm(SetPasswordForm):
    """The holder sets a password from a reset link sent to their own address."""

    def save(self, commit=True):
        self.user.must_change_password = False
        return super().save(commit)


class CalendarOverrideForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DateInput())
    is_working_day = forms.TypedChoiceField(
        label=_("当日"),
        choices=[("1", _("上班（含调休上班）")), ("0", _("放假"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("说明"), max_length=100, help_text=_("例如：国务院办公厅通知，国庆节调休。")
    )
