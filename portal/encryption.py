"""Personal data encrypted at rest: a text field stored as a Fernet token (AES-128-CBC with an
HMAC-SHA256, from the ``cryptography`` library), the key from the environment.

``DJANGO_FIELD_ENCRYPTION_KEYS`` (or ``..._FILE``) is a comma-separated list of Fernet keys,
newest first: values are written with the first and read with any of them (MultiFernet), so a
key is rotated by putting the new one first and re-saving the rows. Production refuses to start
without it; development and tests use a fixed key that protects nothing.

A value without the ``fernet:`` prefix is read as plain text: the rows written before the field
was encrypted, until the migration that re-saves them has run.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("Set DJANGO_FIELD_ENCRYPTION_KEYS (Fernet keys).")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(value: str) -> str:
    token = _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).encrypt(value.encode())
    return PREFIX + token.decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    try:
        plain = _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS)).decrypt(stored[len(PREFIX) :])
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with DJANGO_FIELD_ENCRYPTION_KEYS: "
            "was a key removed before the rows were re-saved?"
        ) from error
    return plain.decode()


class EncryptedTextField(models.TextField):
    """Stored encrypted; read, compared in Python and shown as plain text. Not searchable."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value  # "no contact given" needs no secret
        return encrypt(value)
