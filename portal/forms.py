from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码错误。连续多次错误后账号将被暂时锁定。"),
        "inactive": _("该账号已停用，请联系市安全生产监管局。"),
    }
