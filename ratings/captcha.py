"""A small arithmetic question that works offline, against generic comment spam.

The question travels in a signed token (Django's signing, salted, time-limited); the answer is
not in the token, only an HMAC of it with a random nonce, so a bot reading the page cannot
copy it. Each token is accepted once (its nonce is remembered in the cache until it expires).
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "ratings.captcha"
MAX_AGE_SECONDS = 30 * 60


def _digest(nonce: str, answer: int) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge() -> tuple[str, str]:
    """(question text, signed token)."""
    left, right = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    token = signing.dumps({"n": nonce, "d": _digest(nonce, left + right)}, salt=SALT)
    return f"{left} + {right} = ?", token


def check(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
        value = int(str(answer).strip())
    except (signing.BadSignature, ValueError, TypeError):
        return False
    if not constant_time_compare(data.get("d", ""), _digest(data.get("n", ""), value)):
        return False
    # Once only: a solved token replayed by a script is refused.
    return cache.add(f"captcha-used:{data['n']}", 1, MAX_AGE_SECONDS)
