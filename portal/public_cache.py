"""Cache of what the public pages read: published ratings change only when the bureau
publishes or revokes, while a city's public may search all day.

Entries are keyed by a data version: a counter bumped after each publication or revocation
commits (ratings signals) plus the highest rating id (a cheap index lookup, so rows written
without the signals, e.g. by seed_bulk, also start a new version), and expire after
PUBLIC_CACHE_SECONDS anyway. Only data is cached (lists, counts, JSON bodies and HTML
fragments without any per-visitor content): pages still render per request with their own
CSRF token and navigation. A cache outage degrades to uncached pages, never to an error.
See docs/decisions/0054-public-cache.md.
"""

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils.translation import get_language

from ratings.models import Rating

T = TypeVar("T")
VERSION_KEY = "public:ratings:version"
MISSING = object()
logger = logging.getLogger(__name__)


def timeout() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 300)


def data_version() -> str:
    try:
        counter = cache.get(VERSION_KEY, 0)
    except Exception:  # noqa: BLE001 - a cache outage must not break public pages
        logger.warning("public cache unavailable", exc_info=True)
        counter = "x"
    latest = Rating.objects.aggregate(latest=Max("id"))["latest"]
    return f"{counter}.{latest}"


def cached(kind: str, params: str, build: Callable[[], T]) -> T:
    """``build()``'s value for (kind, params) at the current data version and language."""
    if timeout() <= 0:
        return build()
    digest = hashlib.sha1(params.encode(), usedforsecurity=False).hexdigest()
    key = f"public:{kind}:{get_language()}:{data_version()}:{digest}"
    try:
        value = cache.get(key, MISSING)
    except Exception:  # noqa: BLE001
        value = MISSING
    if value is MISSING:
        value = build()
        try:
            cache.set(key, value, timeout())
        except Exception:  # noqa: BLE001
            logger.warning("public cache unavailable", exc_info=True)
    return value


def bump_version(**_signal_kwargs) -> None:
    """Receiver of ratings_published/ratings_revoked: new data once the transaction commits."""

    def bump():
        try:
            try:
                cache.incr(VERSION_KEY)
            except ValueError:
                cache.set(VERSION_KEY, 1, None)
        except Exception:  # noqa: BLE001
            logger.warning("public cache unavailable", exc_info=True)

    transaction.on_commit(bump)


def connect() -> None:
    from ratings.signals import ratings_published, ratings_revoked

    ratings_published.connect(bump_version, dispatch_uid="public_cache_published")
    ratings_revoked.connect(bump_version, dispatch_uid="public_cache_revoked")
