"""A real task through the real Redis broker to a real worker."""

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app
from portal.tasks import ping, send_email


@pytest.fixture(scope="module")
def celery_worker_thread():
    import celery.contrib.testing.tasks  # noqa: F401 - the worker's own ping task

    app.conf.result_backend = "redis://" + app.conf.broker_url.split("://", 1)[1]
    forget_cached_backend()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    app.conf.result_backend = None
    forget_cached_backend()


def forget_cached_backend():
    # Celery caches the result backend per thread; an earlier test may have cached the
    # disabled one in this thread before we configured Redis for results.
    app._local.__dict__.pop("backend", None)


@pytest.mark.slow
def test_task_runs_in_a_worker(celery_worker_thread):
    assert ping.delay().get(timeout=20) == "pong"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_email_is_sent_by_the_worker(celery_worker_thread, mailoutbox):
    assert send_email.delay("受理通知", "您的申报已受理", ["a@example.org"]).get(timeout=20) == 1
    assert mailoutbox[0].subject == "受理通知"
