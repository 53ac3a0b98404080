"""Enrolling an authenticator, verifying a sign-in, recovery codes (portal/two_factor.py)."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import two_factor
from portal.access import signed_in

RECOVERY_SESSION_KEY = "two_factor_new_recovery_codes"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy("身份验证器显示的6位数字，或一个未用过的恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )

    def clean_token(self):
        token = two_factor.normalise(self.cleaned_data["token"])
        if not token:
            raise forms.ValidationError(_("请输入验证码。"))
        return token


def _with_next(view_name: str, request) -> str:
    return f"{reverse(view_name)}?{urlencode({'next': _next_url(request)})}"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe and candidate.startswith("/") else reverse("portal:dashboard")


@signed_in
def overview(request):
    user = request.user
    if request.method == "POST" and request.POST.get("action") == "remove":
        if user.requires_two_factor:
            messages.error(request, _("您的账号必须使用双因素认证，不能解除。"))
        else:
            two_factor.remove_devices(request, user)
            request.session.pop(two_factor.SESSION_DUE_KEY, None)
            messages.success(request, _("已解除双因素认证。"))
        return redirect("portal:two_factor")
    context = {
        "enrolled": two_factor.has_device(user),
        "required": user.requires_two_factor,
        "codes_left": two_factor.recovery_codes_left(user),
    }
    return render(request, "registration/two_factor.html", context)


@signed_in
def enrol(request):
    user = request.user
    if two_factor.has_device(user):
        if user.is_verified():
            messages.info(request, _("您已绑定身份验证器。"))
            return redirect("portal:two_factor")
        return redirect(_with_next("portal:two_factor_verify", request))
    device = two_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.throttled_device(device):
            form.add_error("token", _("错误次数过多，请稍候再试。"))
        else:
            codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["token"])
            if codes is not None:
                request.session[RECOVERY_SESSION_KEY] = codes
                messages.success(request, _("身份验证器已绑定。请保存下面的恢复码。"))
                return redirect(_with_next("portal:two_factor_recovery", request))
            form.add_error("token", _("验证码不正确或已过期，请输入验证器当前显示的6位数字。"))
    context = {
        "form": form,
        "qr_svg": two_factor.qr_svg(device),
        "secret": two_factor.secret_for_typing(device),
        "issuer": two_factor.issuer(),
        "next": _next_url(request),
    }
    return render(request, "registration/two_factor_enrol.html", context)


@signed_in
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_device(user):
        return redirect(_with_next("portal:two_factor_enrol", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.verify(request, form.cleaned_data["token"])
        if outcome == two_factor.THROTTLED:
            form.add_error("token", _("错误次数过多，请稍候再试。"))
        elif outcome == two_factor.VERIFIED:
            left = two_factor.recovery_codes_left(user)
            if left <= 3:
                messages.warning(
                    request, _("您只剩%(count)d个恢复码，请重新生成。") % {"count": left}
                )
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("验证码不正确或已使用过。"))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "registration/two_factor_verify.html", context)


@signed_in
def recovery_codes(request):
    """New codes are shown once, right after they are made; POST makes a new set."""
    user = request.user
    if not two_factor.has_device(user):
        return redirect("portal:two_factor_enrol")
    if request.method == "POST":
        request.session[RECOVERY_SESSION_KEY] = two_factor.new_recovery_codes(user)
        messages.success(request, _("已生成新的恢复码，旧的恢复码全部作废。"))
        return redirect("portal:two_factor_recovery")
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    context = {
        "codes": codes,
        "codes_left": two_factor.recovery_codes_left(user),
        "next": _next_url(request) if request.GET.get("next") else "",
    }
    return render(request, "registration/two_factor_recovery.html", context)
