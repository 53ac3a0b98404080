"""What a signed-in session must do before anything else (等保 level 3).

Three checks, in this order, each sending the user to the one page that settles it:
1. session limits: idle for ``SESSION_IDLE_TIMEOUT`` or older than ``SESSION_ABSOLUTE_LIMIT``
   -> signed out, back to the sign-in page (portal/sessions.py);
2. second factor owed (``portal.two_factor.is_due``) -> verification, or enrolment if the user
   has no authenticator yet;
3. password set by someone else, or older than ``PASSWORD_MAX_AGE_DAYS`` -> password change.
Each lets through the views needed to settle it, signing out and the language switch.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from portal import passwords, sessions, two_factor

ALWAYS_ALLOWED = {
    "portal:logout",
    "set_language",
    "portal:health",
    "portal:health_worker",
    "portal:session_keepalive",
}
TWO_FACTOR_VIEWS = {"portal:two_factor_verify", "portal:two_factor_enrol"}
PASSWORD_VIEWS = {"portal:password_change", "portal:password_change_done"}


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _to(view_name: str, request):
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse(view_name)}?{query}")


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = sessions.expired(request)
            if reason:
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            sessions.touch(request)
        return self.get_response(request)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or not two_factor.is_due(user, request.session):
            return None
        name = _view_name(request)
        if name in ALWAYS_ALLOWED or name in TWO_FACTOR_VIEWS:
            return None
        if two_factor.has_device(user):
            return _to("portal:two_factor_verify", request)
        messages.info(request, _("您的账号须使用双因素认证，请先绑定身份验证器。"))
        return _to("portal:two_factor_enrol", request)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        reason = passwords.change_required(user)
        if not reason:
            return None
        name = _view_name(request)
        if name in ALWAYS_ALLOWED or name in PASSWORD_VIEWS or name in TWO_FACTOR_VIEWS:
            return None
        messages.warning(request, reason)
        return redirect("portal:password_change")
