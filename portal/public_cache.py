"""Cache of what the public pages read: published ratings change only when the bureau
publishes or revokes, while a city's public may search all day.

Entries are keyed by a data version: a counter in the cache, bumped after each publication
or revocation commits (ratings signals; seed_bulk bumps it too), and expire after
PUBLIC_CACHE_SECONDS anyway, which bounds how long an edit that sends no signal (a unit
renamed, a linkage status change) can take to show. Only data is cached (lists, counts, JSON bodies and HTML
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
from django.db import connection, transaction
from django.utils.translation import get_language

T = TypeVar("T")
VERSION_KEY = "public:ratings:version"
# Bump when the shape of a cached value changes, so a deploy never reads the old shape.
SHAPE = 2
MISSING = object()
logger = logging.getLogger(__name__)


def timeout() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 300)


def data_version() -> str:
    """The database and the publication counter: one cache read, no query."""
    try:
        counter = cache.get(VERSION_KEY, 0)
    except Exception:  # noqa: BLE001 - a cache outage must not break public pages
        logger.warning("public cache unavailable", exc_info=True)
        counter = "x"
    return f"{connection.settings_dict['NAME']}.{SHAPE}.{counter}"


def cached(kind: str, params: str, build: Callable[[], T], request=None) -> T:
    """``build()``'s value for (kind, params) at the current data version and language.

    With ``request``, the data version is looked up once for all entries of that request.
    """
    if timeout() <= 0:
        return build()
    if request is None:
        version = data_version()
    else:
        version = getattr(request, "_public_data_version", None) or data_version()
        request._public_data_version = version
    digest = hashlib.sha1(params.encode(), usedforsecurity=False).hexdigest()
    key = f"public:{kind}:{get_language()}:{version}:{digest}"
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


def bump() -> None:
    """Start a new data version now (seed_bulk and test helpers, which send no signal)."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 1, None)
    except Exception:  # noqa: BLE001
        logger.warning("public cache unavailable", exc_info=True)


def bump_version(**_signal_kwargs) -> None:
    """Receiver of ratings_published/ratings_revoked: new data once the transaction commits."""
    transaction.on_commit(bump)


def connect() -> None:
    from ratings.signals import ratings_published, ratings_revoked

    ratings_published.connect(bump_version, dispatch_uid="public_cache_published")
    ratings_revoked.connect(bump_version, dispatch_uid="public_cache_revoked")
