"""The suite's own keys in a Redis it may share with `make run` and other checkouts.

Every key the tests write starts with ``settings.TEST_NAMESPACE`` followed by a colon (the
cache's KEY_PREFIX and Celery's global_keyprefix, see portal/settings/test.py). Emptying the
namespace deletes those keys only; ``cache.clear()`` would FLUSHDB everybody's keys, a running
demo's Celery queue included.
"""

import re

import redis
from django.conf import settings


def pattern() -> str:
    """A SCAN pattern matching the namespace literally (glob characters escaped)."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", settings.TEST_NAMESPACE) + ":*"


def empty_namespace() -> int:
    """Delete every key of this suite's namespace; returns how many there were."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    deleted = 0
    batch = []
    for key in client.scan_iter(match=pattern(), count=1000):
        batch.append(key)
        if len(batch) == 500:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    client.close()
    return deleted
