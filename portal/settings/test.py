from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher"
]  # speed only; never in production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".local" / "test-media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
# Tests publish to their own queue, so a developer's `make run` worker never takes a test's
# task and a test worker never takes one left over from a demo.
CELERY_TASK_DEFAULT_QUEUE = "integrity-tests"
# The whole suite signs in from 127.0.0.1 (browser tests included); the per-address throttle
# has its own test with a low rate and an address of its own.
LOGIN_RATE_PER_ADDRESS = "100000/m"

# `make test` must pass while `make run` (or another checkout's suite) uses the same Redis,
# often the same database in it: every key the tests write — cache, rate limits, public page
# cache, Celery queues and bookkeeping — lives under the test database's name, and the suite
# empties only that namespace when it starts (tests/redis_namespace.py, decision 0070).
# A worker subprocess started by a fault test already gets the test database in DATABASE_URL,
# so the name is used as it is rather than prefixed twice.
_database_name = DATABASES["default"]["NAME"]  # noqa: F405
TEST_NAMESPACE = _database_name if _database_name.startswith("test_") else f"test_{_database_name}"
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": TEST_NAMESPACE}}  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "global_keyprefix": f"{TEST_NAMESPACE}:celery:",
}
QUERY_API_RATE_PER_ADDRESS = "100000/m"
QUERY_API_RATE_PER_TOKEN = "100000/m"
STASH_RATE = "100000/h"
WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the test receivers listen on loopback
PASSWORD_RESET_RATE_PER_ADDRESS = "100000/h"
PASSWORD_RESET_RATE = "100000/h"
REGISTRATION_RATE_PER_ADDRESS = "100000/h"
