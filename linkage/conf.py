"""Tunables of delivery, read when used so a worker started with other values obeys them.

Environment variables (typed, with defaults); tests shorten the backoff of a worker they start.
"""

from portal.env import env_int


def webhook_max_attempts() -> int:
    return env_int("LINKAGE_WEBHOOK_MAX_ATTEMPTS", 6)


def webhook_backoff_base() -> int:
    """Seconds before the second attempt; doubled after each failure."""
    return env_int("LINKAGE_WEBHOOK_BACKOFF_BASE", 30)


def webhook_backoff_cap() -> int:
    return env_int("LINKAGE_WEBHOOK_BACKOFF_CAP", 3600)


def webhook_connect_timeout() -> float:
    return env_int("LINKAGE_WEBHOOK_CONNECT_TIMEOUT", 3)


def webhook_read_timeout() -> float:
    return env_int("LINKAGE_WEBHOOK_READ_TIMEOUT", 10)


def inbox_batch_size() -> int:
    """Notices per delivery task: one statement each, so larger batches cut the per-task cost
    (a 10,000-result publication to 10 departments is 20 tasks)."""
    return env_int("LINKAGE_INBOX_BATCH", 5000)


def stale_after_seconds() -> int:
    """A notice still undelivered this long after it was written is re-queued by the sweep."""
    return env_int("LINKAGE_STALE_AFTER", 60)


def backoff_seconds(failed_attempts: int) -> int:
    return min(webhook_backoff_base() * 2 ** (failed_attempts - 1), webhook_backoff_cap())
