"""Second factor for demo accounts and for tests that sign in through the real pages.

``seed_demo`` enrols the bureau and government demo accounts with a random authenticator
secret (printed by ``make run``, so a phone can be enrolled with it); ``python manage.py
demo_totp <user>`` and ``sign_in_code(user)`` give a code the verification page accepts now.
Never used by the product's own views.
"""

import time

from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import two_factor


def enrolled_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, enrolled now with a random secret if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=two_factor.AUTHENTICATOR, confirmed=True)
    return device


def sign_in_code(user) -> str:
    """A code the verification page accepts now: the authenticator's, or, if every code of the
    current window was already used (a code signs in once), a new single-use recovery code."""
    device = enrolled_device(user)
    now_t = (int(time.time()) - device.t0) // device.step + device.drift
    # The current step first, then the next ones, and the previous step last: a code of the
    # previous step stops working at the next step boundary, perhaps before it is typed.
    steps = [now_t + k for k in range(device.tolerance + 1)]
    steps += [now_t - k for k in range(1, device.tolerance + 1)]
    for t in steps:
        if t > device.last_t:
            return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)
    recovery, _created = StaticDevice.objects.get_or_create(
        user=user, name=two_factor.RECOVERY, defaults={"confirmed": True}
    )
    return StaticToken.objects.create(device=recovery, token=StaticToken.random_token()).token
