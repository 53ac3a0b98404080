"""Second factor at sign-in (等保 level 3): TOTP in an authenticator app, recovery codes.

Who must use it is ``User.requires_two_factor``; anyone else may enrol and is then asked for it
too. django-otp keeps the devices and throttles wrong codes; this module enrols, verifies and
issues recovery codes. The middleware in ``portal/sign_in_guard.py`` sends a signed-in user who
owes a second factor to enrolment or verification before anything else.
"""

import segno
from django.conf import settings
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security_events import SecurityEvent, record_security_event

# Audit details are short strings, never the code typed (portal/security_events.py).
_THROTTLED = {"reason": "throttled"}
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"
RECOVERY_CODE_COUNT = 10
# Set at sign-in for a user who holds a device though the rule does not require one.
SESSION_DUE_KEY = "two_factor_due"


def is_due(user, session) -> bool:
    """Whether this signed-in session must pass the second factor before going on."""
    if user.is_verified():
        return False
    return user.requires_two_factor or bool(session.get(SESSION_DUE_KEY))


def has_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def note_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: remember whether a voluntary user enrolled (one query here,
    none on later requests)."""
    if not user.requires_two_factor and has_device(user):
        request.session[SESSION_DUE_KEY] = True


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, name=AUTHENTICATOR, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as inline SVG (no script, no style; allowed by our CSP)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=True)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for authenticators without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with its first code; the session counts as verified and the
    user gets fresh recovery codes, returned this once. None if the code is wrong."""
    if not device.verify_token(normalise(token)):
        return None
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record_security_event(SecurityEvent.TWO_FACTOR_ENROLLED, request=request)
    request.session[SESSION_DUE_KEY] = True
    return new_recovery_codes(device.user)


VERIFIED, WRONG, THROTTLED = "verified", "wrong", "throttled"


def verify(request, token: str) -> str:
    """An authenticator code or an unused recovery code; marks the session verified.

    A six-digit code goes to the authenticator, anything else to the recovery codes, so a
    recovery code never counts as a wrong authenticator code. Each device throttles its own
    failures (django-otp doubles the wait after each one): a device still waiting refuses even
    a right code, so guessing stays slow.
    """
    token = normalise(token)
    kind = TOTPDevice if len(token) == 6 and token.isdigit() else StaticDevice
    devices = [d for d in devices_for_user(request.user, confirmed=True) if isinstance(d, kind)]
    if any(throttled_device(device) for device in devices):
        record_security_event(SecurityEvent.TWO_FACTOR_FAILED, request=request, details=_THROTTLED)
        return THROTTLED
    for device in devices:
        if device.verify_token(token):
            otp_login(request, device)
            used = SecurityEvent.TWO_FACTOR_VERIFIED
            if kind is StaticDevice:
                used = SecurityEvent.TWO_FACTOR_RECOVERY_USED
            record_security_event(used, request=request)
            return VERIFIED
    record_security_event(SecurityEvent.TWO_FACTOR_FAILED, request=request)
    return WRONG


def throttled_device(device) -> bool:
    return not device.verify_is_allowed()[0]


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; each code signs in once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


def remove_devices(request, user) -> None:
    """Only for users the rule does not cover (they enrolled of their own accord)."""
    if user.requires_two_factor:
        raise PermissionError("two-factor is required for this account")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_security_event(SecurityEvent.TWO_FACTOR_RESET, request=request, target=user)


def normalise(token: str) -> str:
    """Codes as people type them: spaces and dashes dropped, letters lower-case."""
    return "".join(ch for ch in (token or "") if ch.isalnum()).lower()[:16]


def issuer() -> str:
    return str(settings.OTP_TOTP_ISSUER)
