"""Department API tokens: shown once at creation, stored as SHA-256, checked per request.

Tokens are 256-bit random strings, so a fast hash is enough (no password stretching needed).
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from portal.models import User
from units.models import Department

from ..models import ApiToken, DepartmentLink
from ..webhooks import generate_secret

TOKEN_PREFIX = "lkt_"


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, department: Department, actor: User | None, label: str, raw: str | None = None):
    """Return (token row, the raw token). ``raw`` is only passed by the demo seed."""
    raw = raw or TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        department=department,
        label=label,
        prefix=raw[:10],
        token_hash=digest(raw),
        created_by=actor,
    )
    return token, raw


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def find_token(raw: str) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("department__link")
        .filter(token_hash=digest(raw), revoked_at__isnull=True)
        .first()
    )


def link_for(department: Department) -> DepartmentLink:
    link, _created = DepartmentLink.objects.get_or_create(department=department)
    return link


def set_webhook(*, department: Department, url: str, rotate_secret: bool) -> str | None:
    """Set the endpoint; returns the new secret when one was generated (shown once)."""
    with transaction.atomic():
        link = DepartmentLink.objects.select_for_update().get(pk=link_for(department).pk)
        link.webhook_url = url
        new_secret = None
        if url and (rotate_secret or not link.webhook_secret):
            new_secret = link.webhook_secret = generate_secret()
        if not url:
            link.webhook_secret = ""
        link.save(update_fields=["webhook_url", "webhook_secret", "updated_at"])
    return new_secret
