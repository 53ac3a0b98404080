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
