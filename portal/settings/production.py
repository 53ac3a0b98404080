"""Production profile: refuses to start without its secrets; passes `check --deploy`."""

from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
# Commenters' contact details are encrypted with these (portal/encryption.py); no default.
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEYS", "")
if not FIELD_ENCRYPTION_KEYS or FIELD_ENCRYPTION_KEYS == FIELD_ENCRYPTION_KEYS_DEV:  # noqa: F405
    raise ImproperlyConfigured(
        "Set DJANGO_FIELD_ENCRYPTION_KEYS (or _FILE): Fernet keys, newest first. Make one with "
        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
    )

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
# Certificates and bulletins are signed with the key the deployment configures, never a demo key.
SEAL_ALLOW_DEMO_KEY = False
