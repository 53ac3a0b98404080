"""Delivery with a real Celery worker process, against a throwaway Redis this test starts.

The machine's shared Redis and PostgreSQL are never stopped: each test runs its own
redis-server on a free port and a ``celery -A portal worker`` subprocess pointed at it and at
the test database.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from linkage.fixtures import past_cycle, publish
from linkage.models import Notice
from linkage.services import delivery
from portal.celery import app
from tests.factories import UnitFactory
from units.models import Department

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CELERY = Path(sys.executable).with_name("celery")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {condition}")


class ThrowawayRedis:
    """A redis-server of our own, without persistence; stop() and start() keep the port."""

    def __init__(self):
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="linkage-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, interval=0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class WorkerProcess:
    def __init__(self, broker_url: str, **env):
        self.broker_url = broker_url
        self.env = env
        self.log = Path(tempfile.mkstemp(prefix="linkage-worker-", suffix=".log")[1])
        self.process = None

    def start(self):
        database = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "REDIS_URL": self.broker_url,
            **self.env,
        }
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "portal",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: " ready." in self.log.read_text(), timeout=30)

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


@contextmanager
def broker(url: str):
    """Point this process's Celery app at ``url`` (publishing side of the test)."""
    previous = app.conf.broker_url
    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url = previous
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def restored_reference_data(transactional_db):
    """Transactional tests that ran earlier flushed the tables: put back what the data
    migrations load (areas, departments, the scoring standard, the policy matrix)."""
    from django.apps import apps

    from assessments.defaults import load_default_standard
    from linkage.defaults import load_default_policy
    from units.defaults import load_reference_data

    load_reference_data(apps)
    load_default_standard(apps)
    load_default_policy(apps)


@pytest.fixture(autouse=True)
def _reference_data(restored_reference_data):
    pass


@pytest.fixture
def redis_server():
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


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


def test_a_published_batch_reaches_every_inbox_through_the_worker(world, worker):
    units = [world.unit, world.other_unit, *UnitFactory.create_batch(3)]
    publish(
        [(unit, star) for unit, star in zip(units, [5, 4, 3, 0, 0], strict=True)],
        past_cycle(2025),
        world.users["bureau"],
    )

    wait_for(lambda: delivered_count() == 50)
    assert_one_notice_per_unit_in_every_inbox(units)


def test_nothing_is_lost_when_redis_is_down_between_publication_and_delivery(
    world, redis_server, worker
):
    units = [world.unit, *UnitFactory.create_batch(4)]
    redis_server.stop()

    started = time.monotonic()
    publish([(unit, 4) for unit in units], past_cycle(2025), world.users["bureau"])
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
