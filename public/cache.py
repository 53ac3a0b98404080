"""Cache of what the public pages read: published ratings change only when the bureau
publishes or revokes, while a city's public may search all day.

Entries are keyed by a data version: a counter in the cache, bumped after each publication
or revocation commits (receivers of the ratings signals, connected in PublicConfig.ready;
seed_bulk bumps it too), and expire after
PUBLIC_CACHE_SECONDS anyway, which bounds how long an edit that sends no signal (a unit
renamed, a linkage status change) can take to show. Only data is cached (lists, counts, JSON bodies and HTML
fragments without any per-visitor content): pages still render per request with their own
CSRF token and navigation. A cache outage degrades to uncached pages, never to an error.
See docs/decisions/0054-public-cache.md.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language

from portal import replica

T = TypeVar("T")
VERSION_KEY = "public:ratings:version"
# Bump when the shape of a cached value changes, so a deploy never reads the old shape.
SHAPE = 4
logger = logging.getLogger(__name__)


def timeout() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 300)


# The version is re-read at most once a second per process (bump() in this process clears it).
VERSION_MEMO_SECONDS = 1.0
_memo: dict[str, tuple[float, str]] = {}


def data_version() -> str:
    """The database, the publication counter and the day: one cache read, no query."""
    # The day is part of the version: a key-monitoring listing leaves the public pages on the
    # day its display period ends, without any job bumping the counter.
    today = timezone.localdate().isoformat()
    now = time.monotonic()
    memo = _memo.get("version")
    if memo and now - memo[0] < VERSION_MEMO_SECONDS:
        return f"{memo[1]}.{today}"
    try:
        counter = cache.get(VERSION_KEY, 0)
    except Exception:  # noqa: BLE001 - a cache outage must not break public pages
        logger.warning("public cache unavailable", exc_info=True)
        counter = "x"
    version = f"{connection.settings_dict['NAME']}.{SHAPE}.{counter}"
    _memo["version"] = (now, version)
    return f"{version}.{today}"


def canonical_query(query, names) -> str:
    """The query string as the page reads it: only the parameters it knows, in a fixed order,
    empty ones left out. Junk parameters (``?utm=1``, ``?x=<random>``) then share one cache
    entry instead of making a new one per request."""
    return urlencode([(name, query.get(name)) for name in sorted(names) if query.get(name)])


def key(kind: str, params: str) -> str:
    digest = hashlib.sha1(params.encode(), usedforsecurity=False).hexdigest()
    # What a replica built may lag the primary: readers of the primary never reuse it.
    source = "replica" if replica.in_use() else "primary"
    return f"public:{kind}:{get_language()}:{data_version()}:{source}:{digest}"


def get_many(keys: list[str]) -> dict:
    """Found entries of ``keys`` in one round trip ({} when caching is off or down)."""
    if timeout() <= 0:
        return {}
    try:
        return cache.get_many(keys)
    except Exception:  # noqa: BLE001
        logger.warning("public cache unavailable", exc_info=True)
        return {}


def store(cache_key: str, value: T) -> T:
    seconds = timeout()
    if replica.in_use():
        # A replica may not yet have replayed the publication that started this data
        # version: keep what it showed only briefly, so a lagging read heals itself.
        seconds = min(seconds, settings.PUBLIC_CACHE_REPLICA_SECONDS)
    if seconds > 0:
        try:
            cache.set(cache_key, value, seconds)
        except Exception:  # noqa: BLE001
            logger.warning("public cache unavailable", exc_info=True)
    return value


# What every search and open-data request reads alike (the filter choices) is also kept in the
# process for a second, as the data version is: a busy process then reads it about once a
# second rather than once a request, the shared cache on or off. bump() forgets it.
KEPT_SECONDS = 1.0
_kept: dict[str, tuple[float, object]] = {}


def shared_and_many(shared_key: str, build: Callable[[], T], keys: list[str]) -> tuple[T, dict]:
    """``build()``'s value for ``shared_key``, and the found entries of ``keys``: at most one
    cache round trip, and none for the shared value kept in this process."""
    now = time.monotonic()
    kept = _kept.get(shared_key)
    if kept and now - kept[0] < KEPT_SECONDS:
        return kept[1], get_many(keys)
    found = get_many([shared_key, *keys])
    value = found.pop(shared_key) if shared_key in found else store(shared_key, build())
    if len(_kept) > 16:  # keys of past versions and languages
        _kept.clear()
    _kept[shared_key] = (now, value)
    return value, found


def cached(kind: str, params: str, build: Callable[[], T]) -> T:
    """``build()``'s value for (kind, params) at the current data version and language."""
    cache_key = key(kind, params)
    found = get_many([cache_key])
    if cache_key in found:
        return found[cache_key]
    return store(cache_key, build())


def bump() -> None:
    """Start a new data version now (seed_bulk and test helpers, which send no signal)."""
    _memo.clear()
    _kept.clear()
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
    from ratings.signals import (
        key_monitoring_lifted,
        ratings_published,
        ratings_revoked,
        reply_published,
        reply_withdrawn,
    )

    ratings_published.connect(bump_version, dispatch_uid="public_cache_published")
    ratings_revoked.connect(bump_version, dispatch_uid="public_cache_revoked")
    # The enterprise's reply shows on the unit page and in the open data at once.
    reply_published.connect(bump_version, dispatch_uid="public_cache_reply_published")
    reply_withdrawn.connect(bump_version, dispatch_uid="public_cache_reply_withdrawn")
    # A granted credit repair takes the unit off the public list at once.
    key_monitoring_lifted.connect(bump_version, dispatch_uid="public_cache_lifted")
