"""Throttles on what an anonymous visitor or a stolen session could repeat without end."""

import pytest
from django.core import mail

from tests.factories import UserFactory
from tests.redis_namespace import empty_namespace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    empty_namespace()  # the suite's own keys only, never a running demo's
    yield
    empty_namespace()


def test_password_reset_sends_a_few_mails_per_address_typed_and_says_sent_anyway(
    client, world, settings
):
    settings.PASSWORD_RESET_RATE = "2/h"
    UserFactory(role="bureau", email="victim@example.org")
    answers = [
        client.post("/accounts/password/reset/", {"email": "victim@example.org"}) for _ in range(5)
    ]
    assert all(answer.status_code == 302 for answer in answers)
    assert {answer["Location"] for answer in answers} == {"/accounts/password/reset/sent/"}
    assert len(mail.outbox) == 2


def test_password_reset_is_throttled_per_client_address(client, world, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "3/h"
    codes = [
        client.post("/accounts/password/reset/", {"email": f"u{n}@example.org"}).status_code
        for n in range(5)
    ]
    assert codes == [302, 302, 302, 429, 429]


def test_password_change_locks_after_wrong_current_passwords(client, world, settings):
    settings.PASSWORD_CHANGE_FAILURE_RATE = "3/30m"
    user = world.users["enterprise"]
    user.set_password("Old-Passw0rd-2026")
    user.save()
    client.force_login(user)
    new = {"new_password1": "N3w-Passw0rd-2026!", "new_password2": "N3w-Passw0rd-2026!"}
    for _ in range(3):
        wrong = client.post("/accounts/password/change/", {"old_password": "guess", **new})
        assert wrong.status_code == 200
    locked = client.post("/accounts/password/change/", {"old_password": "Old-Passw0rd-2026", **new})
    assert locked.status_code == 429
    user.refresh_from_db()
    assert user.check_password("Old-Passw0rd-2026")


def test_junk_query_parameters_share_one_public_cache_entry(client, world):
    import redis
    from django.conf import settings

    def public_keys() -> int:
        connection = redis.Redis.from_url(settings.REDIS_URL)
        count = sum(1 for _ in connection.scan_iter(match=f"{settings.TEST_NAMESPACE}:*public:*"))
        connection.close()
        return count

    client.get("/search/", {"q": "新郑"})
    client.get("/api/v1/ratings/", {"page_size": "5"})
    before = public_keys()
    for n in range(20):
        client.get("/search/", {"q": "新郑", f"junk{n}": n})
        client.get("/api/v1/ratings/", {"page_size": "5", "utm_source": f"x{n}"})
    assert public_keys() == before


def test_links_in_shared_pages_carry_no_junk(client, world):
    body = client.get("/api/v1/ratings/", {"page_size": "1", "evil": "<x>"}).json()
    assert "evil" not in str(body)


def test_registration_is_throttled_per_client_address(client, world, settings):
    settings.REGISTRATION_RATE_PER_ADDRESS = "3/h"
    codes = [client.post("/units/register/", {"name": f"单位{n}"}).status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
