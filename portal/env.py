"""Typed access to environment variables; production refuses to start without what it needs."""

import os
import ssl
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    """A string from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


def database_from_url(url: str) -> dict:
    """Django DATABASES entry for a postgres:// URL (the only database we support).

    dj-database-url keeps the query string: ``?sslmode=verify-full&sslrootcert=/run/ca.pem``
    reaches psycopg as connection options, so TLS to PostgreSQL is configured in the URL.
    """
    if urlparse(url).scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL.")
    config = dj_database_url.parse(
        url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    # One transaction per request: django-auditlog writes its entry in pre_save, so a save
    # outside a transaction could leave an entry for a change that never happened.
    config["ATOMIC_REQUESTS"] = True
    config["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    return config


_CERT_REQS = {"required": ssl.CERT_REQUIRED, "optional": ssl.CERT_OPTIONAL, "none": ssl.CERT_NONE}


def redis_ssl_options(url: str) -> dict | None:
    """TLS options for Celery's broker from a ``rediss://`` URL, None for plain ``redis://``.

    The cache (redis-py) reads the same query parameters from the URL itself; kombu needs them
    as ``broker_use_ssl``. Certificates are verified unless the URL says ``ssl_cert_reqs=none``.
    """
    parsed = urlparse(url)
    if parsed.scheme != "rediss":
        return None
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    cert_reqs = query.get("ssl_cert_reqs", "required").lower()
    if cert_reqs not in _CERT_REQS:
        raise ImproperlyConfigured("REDIS_URL: ssl_cert_reqs must be required, optional or none.")
    options = {"ssl_cert_reqs": _CERT_REQS[cert_reqs]}
    for key in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile"):
        if query.get(key):
            options[key] = query[key]
    return options
