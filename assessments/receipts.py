"""The public check of a 《受理回执单》: its QR code leads to a page saying whether the receipt
is one the bureau issued.

The code in the address is the application's id and an HMAC of it with the receipt number
(salted, keyed by SECRET_KEY and its fallbacks), so nothing is stored, receipts issued before
the check existed verify too, and ids cannot be walked: without the HMAC an address finds
nothing. See docs/decisions/0071-document-seals-and-receipt-check.md.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from assessments.models import Application

SALT = "assessments.receipt-check"
CODE = re.compile(r"^(?P<pk>[1-9][0-9]{0,11})-(?P<mac>[0-9a-f]{20})$")


def _mac(pk: int, receipt_number: str, secret: str | None = None) -> str:
    value = f"{pk}:{receipt_number}"
    return salted_hmac(SALT, value, secret=secret, algorithm="sha256").hexdigest()[:20]


def check_code(application: Application) -> str:
    return f"{application.pk}-{_mac(application.pk, application.receipt_number)}"


def check_url(application: Application) -> str:
    """The absolute address the receipt's QR code holds."""
    return settings.SITE_URL + reverse("assessments:receipt_check", args=[check_code(application)])


def receipt_by_code(code: str) -> Application | None:
    """The accepted application a well-formed, genuine code names, else None."""
    match = CODE.fullmatch(code or "")
    if match is None:
        return None
    application = (
        Application.objects.filter(pk=int(match["pk"]), receipt_number__isnull=False)
        .select_related("unit", "cycle")
        .first()
    )
    if application is None:
        return None
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    genuine = any(
        constant_time_compare(
            match["mac"], _mac(application.pk, application.receipt_number, secret)
        )
        for secret in secrets
    )
    return application if genuine else None
