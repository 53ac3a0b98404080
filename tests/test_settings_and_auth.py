import subprocess
import sys

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from portal.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_production_refuses_to_start_without_a_secret():
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_login_is_throttled_after_repeated_failures(client, world):
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "bureau", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "bureau", "password": "Test-pass-123"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def fresh_address() -> str:
    """An address no earlier run has used (2001:db8::/32 is for documentation)."""
    import ipaddress
    import secrets

    return str(ipaddress.IPv6Address("2001:db8::") + (secrets.randbits(32) << 64))


def test_one_address_trying_many_usernames_is_throttled(client, world, settings):
    settings.LOGIN_RATE_PER_ADDRESS = "5/m"
    address = fresh_address()
    for guess in range(5):
        refused = client.post(
            "/accounts/login/", {"username": f"user{guess}", "password": "x"}, REMOTE_ADDR=address
        )
        assert refused.status_code == 200  # the form again: no lockout for any one account
    right = {"username": "bureau", "password": "Test-pass-123"}
    blocked = client.post("/accounts/login/", right, REMOTE_ADDR=address)
    assert blocked.status_code == 429
    assert "登录尝试过于频繁" in blocked.content.decode()
    assert client.post("/accounts/login/", right, REMOTE_ADDR=fresh_address()).status_code == 302


def test_sign_in_still_works_when_the_throttle_cache_is_down(client, world, settings):
    from tests.throwaway import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        }
    }
    response = client.post("/accounts/login/", {"username": "bureau", "password": "Test-pass-123"})
    assert response.status_code == 302


def test_login_leads_to_a_role_dashboard(client, world):
    # An enterprise signs in with its password alone (bureau accounts: tests/test_two_factor.py).
    response = client.post(
        "/accounts/login/", {"username": "ent", "password": "Test-pass-123"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "生产经营单位" in response.content.decode()


def test_pages_carry_a_strict_content_security_policy(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp


def test_english_translation_is_served(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


@override_settings(DEBUG=False)
def test_view_without_declaration_is_refused(rf):
    from django.core.exceptions import PermissionDenied

    from portal.access import DenyByDefaultMiddleware

    def undeclared(request):
        return None

    middleware = DenyByDefaultMiddleware(lambda request: None)
    with pytest.raises(PermissionDenied):
        middleware.process_view(rf.get("/"), undeclared, (), {})


def test_chinese_first_whatever_the_browser_asks(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-CN"' in page
