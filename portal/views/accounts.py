"""Signing in: Django's LoginView behind two throttles.

django-axes (in the database) locks a username at one address after repeated failures. That
does not stop one address trying a few passwords against many usernames, so sign-in POSTs are
also counted per address (django-ratelimit, in Redis). If Redis is down that second count is
skipped rather than locking everybody out; the per-account lockout still holds.
"""

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from portal.access import public
from portal.forms import LoginForm

logger = logging.getLogger(__name__)

_login = auth_views.LoginView.as_view(
    authentication_form=LoginForm, redirect_authenticated_user=True
)


def _too_many_from_this_address(request) -> bool:
    try:
        return is_ratelimited(
            request,
            group="portal.login",
            key="ip",
            rate=settings.LOGIN_RATE_PER_ADDRESS,
            method="POST",
            increment=True,
        )
    except Exception as error:  # noqa: BLE001 - the cache is down: fall back to axes alone
        logger.warning("sign-in rate per address not checked: %s", error)
        return False


@public
def login(request):
    if request.method == "POST" and _too_many_from_this_address(request):
        return render(request, "registration/locked_out.html", {"per_address": True}, status=429)
    return _login(request)
