"""Password reset and change behind throttles (django-ratelimit counters in Redis).

Reset: each request may send an e-mail, so requests are counted per client address and per
address typed in; past the rate the page says "sent" as usual (it must not tell who exists) but
nothing more is sent. Change: wrong current passwords are counted per account; after a few the
form is locked for a while, so a session left open cannot be used to guess the password.
If Redis is down the counts are skipped, as for sign-in.
"""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django_ratelimit.core import get_usage, is_ratelimited

from portal.access import public, signed_in
from portal.forms import OwnPasswordChangeForm

logger = logging.getLogger(__name__)

_reset = auth_views.PasswordResetView.as_view(
    success_url=reverse_lazy("portal:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
)
_change = auth_views.PasswordChangeView.as_view(
    form_class=OwnPasswordChangeForm, success_url=reverse_lazy("portal:password_change_done")
)


def _over(request, group: str, key, rate: str, *, increment: bool = True) -> bool:
    try:
        return is_ratelimited(
            request, group=group, key=key, rate=rate, method="POST", increment=increment
        )
    except Exception as error:  # noqa: BLE001 - the cache is down: do not lock everybody out
        logger.warning("%s rate not checked: %s", group, error)
        return False


def _typed_address(_group, request) -> str:
    return request.POST.get("email", "").strip().lower()[:254]


@public
def password_reset(request):
    if request.method == "POST":
        if _over(request, "portal.reset.ip", "ip", settings.PASSWORD_RESET_RATE_PER_ADDRESS):
            return render(request, "registration/too_many_attempts.html", status=429)
        if _over(request, "portal.reset.email", _typed_address, settings.PASSWORD_RESET_RATE):
            return redirect("portal:password_reset_done")  # as if sent: no enumeration
    return _reset(request)


def _account(_group, request) -> str:
    return str(request.user.pk)


def _failures_reached(request, rate: str) -> bool:
    try:
        usage = get_usage(
            request, group="portal.change", key=_account, rate=rate, method="POST", increment=False
        )
    except Exception as error:  # noqa: BLE001 - the cache is down: do not lock everybody out
        logger.warning("password change failures not checked: %s", error)
        return False
    return bool(usage) and usage["count"] >= usage["limit"]


@signed_in
def password_change(request):
    rate = settings.PASSWORD_CHANGE_FAILURE_RATE
    if request.method == "POST" and _failures_reached(request, rate):
        return render(request, "registration/too_many_attempts.html", status=429)
    response = _change(request)
    if request.method == "POST" and response.status_code == 200:
        form = response.context_data["form"]
        if "old_password" in form.errors:
            _over(request, "portal.change", _account, rate)
    return response
