"""`make test` passes while `make run` serves on the same machine and the same Redis database:
the suite's cache, rate-limit counters and Celery messages never meet the demo's."""

import importlib

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from tests.access.ratings import stage
from tests.redis_namespace import empty_namespace, pattern
from tests.test_publicity import comment_data

pytestmark = pytest.mark.django_db

# A documentation address (RFC 5737): no real visitor of a running demo ever has it.
VISITOR = "203.0.113.77"


def running_demo_caches() -> dict:
    """The cache settings `make run` serves with (portal/settings/dev.py)."""
    return importlib.import_module("portal.settings.dev").CACHES


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


@pytest.fixture
def demo_keys():
    """Keys the test writes as the running demo would; removed afterwards, so a developer's
    demo is left as it was."""
    client = redis_client()
    before = set(client.keys("*"))
    yield client
    ours = f"{settings.TEST_NAMESPACE}:".encode()
    written = [key for key in set(client.keys("*")) - before if not key.startswith(ours)]
    if written:
        client.delete(*written)
    client.close()


def test_comments_in_the_running_demo_leave_the_suites_comment_limit_alone(
    client, world, demo_keys
):
    s = stage(world)
    url = reverse("public_ratings:comment", args=[s.item.pk])
    with override_settings(CACHES=running_demo_caches()):
        in_demo = [
            client.post(url, comment_data(client, url), REMOTE_ADDR=VISITOR).status_code
            for _ in range(6)
        ]
    assert in_demo == [302] * 5 + [429]  # the demo's own limit is used up

    ours = client.post(url, comment_data(client, url), REMOTE_ADDR=VISITOR)
    assert ours.status_code == 302
    assert "提交过于频繁" not in ours.content.decode()


def test_the_suites_cache_keys_carry_the_test_databases_name(demo_keys):
    caches["default"].set("probe", "suite")
    with override_settings(CACHES=running_demo_caches()):
        caches["default"].set("probe", "demo")
        assert caches["default"].get("probe") == "demo"
    assert caches["default"].get("probe") == "suite"
    assert settings.TEST_NAMESPACE == connection.settings_dict["NAME"]  # test_<database>
    assert demo_keys.exists(f"{settings.TEST_NAMESPACE}:1:probe")


def test_the_suites_celery_messages_wait_in_its_own_namespace(demo_keys):
    from portal.celery import app

    empty_namespace()
    # A running demo's own queues may hold messages; ours must not add to them.
    theirs = ["celery", settings.CELERY_TASK_DEFAULT_QUEUE]
    before = [demo_keys.llen(name) for name in theirs]
    app.send_task("portal.tasks.a_task_nobody_runs")
    mine = [key.decode() for key in demo_keys.scan_iter(match=pattern())]
    queue = f"{settings.TEST_NAMESPACE}:celery:{settings.CELERY_TASK_DEFAULT_QUEUE}"
    assert queue in mine
    assert demo_keys.llen(queue) == 1
    assert [demo_keys.llen(name) for name in theirs] == before
    empty_namespace()


def test_emptying_the_namespace_at_start_keeps_the_demos_keys(demo_keys, request):
    # The session starts by emptying the namespace (an autouse fixture in conftest.py).
    assert "_own_redis_namespace_starts_empty" in request.fixturenames
    caches["default"].set("left-by-an-interrupted-run", 1)
    with override_settings(CACHES=running_demo_caches()):
        caches["default"].set("demo-visitor-count", 7)

    assert empty_namespace() >= 1

    assert caches["default"].get("left-by-an-interrupted-run") is None
    assert not list(demo_keys.scan_iter(match=pattern()))
    with override_settings(CACHES=running_demo_caches()):
        assert caches["default"].get("demo-visitor-count") == 7
