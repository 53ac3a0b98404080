"""Delivery with a real Celery worker process, against a throwaway Redis this test starts.

The machine's shared Redis and PostgreSQL are never stopped: each test runs its own
redis-server on a free port and a ``celery -A portal worker`` subprocess pointed at it and at
the test database.
"""

import time

import pytest

from linkage.models import Notice, WebhookDelivery
from linkage.services import delivery
from linkage.services.tokens import set_webhook
from tests.factories import UnitFactory
from tests.publication_support import confirmed, past_cycle, publish_confirmed, publish_results
from tests.throwaway import Receiver, ThrowawayRedis, WorkerProcess, broker, wait_for
from units.models import Department

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    server = ThrowawayRedis()
    server.start()
    yield server
    server.destroy()


@pytest.fixture
def worker(redis_server):
    process = WorkerProcess(redis_server.url)
    with broker(redis_server.url):
        process.start()
        yield process
        process.stop()


def delivered_count() -> int:
    return Notice.objects.filter(delivered_at__isnull=False).count()


def assert_one_notice_per_unit_in_every_inbox(units):
    linked = Department.objects.filter(is_linked=True)
    for department in linked:
        inbox = Notice.objects.for_department(department.pk)
        assert sorted(inbox.values_list("unit_id", flat=True)) == sorted(u.pk for u in units)


def test_health_says_whether_a_worker_answers_and_the_worker_logs_structured_lines(
    client, redis_server
):
    process = WorkerProcess(redis_server.url)
    with broker(redis_server.url):
        assert client.get("/health/worker/").status_code == 503  # none yet
        process.start()
        try:
            # "ready." is logged a moment before the worker takes broadcast pings.
            wait_for(lambda: client.get("/health/worker/").status_code == 200, timeout=20)
            answer = client.get("/health/worker/")
            assert answer.status_code == 200 and answer.json()["workers"] == 1
        finally:
            process.stop()
        assert client.get("/health/worker/").status_code == 503
    ready = [line for line in process.log.read_text().splitlines() if " ready." in line]
    assert ready and ready[0].startswith("time=") and " level=INFO " in ready[0]


def test_a_published_batch_reaches_every_inbox_through_the_worker(world, worker):
    units = [world.unit, world.other_unit, *UnitFactory.create_batch(3)]
    publish_results(
        [(unit, star) for unit, star in zip(units, [5, 4, 3, 0, 0], strict=True)], year=2025
    )

    wait_for(lambda: delivered_count() == 50)
    assert_one_notice_per_unit_in_every_inbox(units)


def test_nothing_is_lost_when_redis_is_down_between_publication_and_delivery(
    world, redis_server, worker
):
    units = [world.unit, *UnitFactory.create_batch(4)]
    applications = confirmed([(unit, 4) for unit in units], past_cycle(2025))
    redis_server.stop()

    started = time.monotonic()
    publish_confirmed(applications)
    assert time.monotonic() - started < 5, "a dead broker must not hold up publishing"
    assert Notice.objects.count() == 50
    time.sleep(2)
    assert delivered_count() == 0

    redis_server.start()
    # The beat sweep's job, run here at once: re-queue everything still pending.
    wait_for(lambda: delivery.sweep(older_than=0)["queued"], timeout=30, interval=1)
    # A second sweep (as beat would run a minute later) must not duplicate anything.
    delivery.sweep(older_than=0)

    wait_for(lambda: delivered_count() == 50, timeout=60)
    assert_one_notice_per_unit_in_every_inbox(units)
    assert Notice.objects.count() == 50


def test_redis_stopped_in_the_middle_of_a_publication_loses_and_repeats_nothing(
    world, redis_server, worker
):
    """Redis dies while the publishing transaction is running (after the ratings and their
    notices are written, before the commit rings the broker): the publication commits, and
    once Redis is back the sweep delivers every notice once."""
    from ratings.signals import ratings_published

    units = [world.unit, *UnitFactory.create_batch(2)]
    applications = confirmed([(unit, 5) for unit in units], past_cycle(2025))

    def redis_dies(sender, **kwargs):
        redis_server.stop()

    ratings_published.connect(redis_dies, dispatch_uid="test-redis-dies")
    try:
        started = time.monotonic()
        publish_confirmed(applications)
    finally:
        ratings_published.disconnect(dispatch_uid="test-redis-dies")
    assert time.monotonic() - started < 5, "a dead broker must not hold up publishing"
    assert Notice.objects.count() == 30 and delivered_count() == 0

    redis_server.start()
    wait_for(lambda: delivery.sweep(older_than=0)["queued"], timeout=30, interval=1)
    delivery.sweep(older_than=0)  # beat again a minute later: nothing twice
    wait_for(lambda: delivered_count() == 30, timeout=60)
    assert_one_notice_per_unit_in_every_inbox(units)
    assert Notice.objects.count() == 30


def test_a_worker_killed_in_the_middle_of_a_batch_loses_and_repeats_nothing(world, redis_server):
    """SIGKILL while webhooks go out: the attempt in flight rolls back with the worker's
    database connection, and the messages it had reserved stay unacknowledged in Redis. A
    fresh worker and the sweep finish the batch; every notice is delivered once."""
    units = [world.unit, world.other_unit, *UnitFactory.create_batch(6)]
    hooked = list(Department.objects.filter(is_linked=True).order_by("order")[:2])
    with Receiver(delay=0.15) as receiver, broker(redis_server.url):
        for department in hooked:
            set_webhook(department=department, url=receiver.url, rotate_secret=True)
        first = WorkerProcess(redis_server.url)
        first.start()
        publish_results([(unit, 4) for unit in units], year=2025)
        wait_for(lambda: len(receiver.requests) >= 4, timeout=30, interval=0.02)
        first.kill()
        pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING)
        assert pending.count() > 0, "the kill must land in the middle of the batch"

        second = WorkerProcess(redis_server.url)
        second.start()
        try:
            delivery.sweep(older_than=0)  # the beat sweep's job, run at once
            wait_for(lambda: not pending.exists(), timeout=60)
            wait_for(lambda: delivered_count() == 80, timeout=30)
            time.sleep(1.5)  # any duplicate would have arrived by now
        finally:
            second.stop()

    assert Notice.objects.count() == 80
    assert_one_notice_per_unit_in_every_inbox(units)
    hooks = WebhookDelivery.objects.all()
    assert len(hooks) == 16 and all(h.status == WebhookDelivery.Status.DELIVERED for h in hooks)
    for hook in hooks:
        assert hook.attempt_log.filter(status_code=200).count() == 1
    # The receiver got every notice; the only repeat allowed is the post the kill cut off
    # (sent, never acknowledged), and it carries the same webhook-id for the receiver to drop.
    sent = receiver.webhook_ids()
    assert set(sent) == {h.notice.webhook_id for h in hooks}
    assert len(sent) - len(set(sent)) <= 1
