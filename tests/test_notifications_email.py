"""E-mail copies of notifications survive a broker outage and are sent once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.models import Notification
from portal.notifications import notify, send_email_copies, sweep_email_copies
from tests.factories import UserFactory
from tests.throwaway import broker, free_port

pytestmark = pytest.mark.django_db


def test_a_copy_written_while_redis_is_down_is_swept_and_sent_once(
    monkeypatch, django_capture_on_commit_callbacks
):
    clerk = UserFactory(role="bureau", email="clerk@example.org")
    with broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        with django_capture_on_commit_callbacks(execute=True):
            notify([clerk], "新的申报待受理", "请登录平台受理。")
    row = Notification.objects.get(recipient=clerk)
    assert row.emailed_at is None and mail.outbox == []

    assert sweep_email_copies() == 0  # too fresh: the worker may still have it
    Notification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    queued = []
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: queued.extend(calls) or True)
    assert sweep_email_copies() == 1  # Redis is back
    (task, (ids,), _options) = queued[0]
    assert task.name == "portal.tasks.email_notifications" and ids == [row.pk]

    assert send_email_copies(ids) == 1  # what the worker runs
    assert send_email_copies(ids) == 0  # the same copy queued twice
    assert [message.to for message in mail.outbox] == [["clerk@example.org"]]
    assert mail.outbox[0].subject == "新的申报待受理"
    assert sweep_email_copies() == 0


def test_copies_older_than_two_days_are_not_sent_late(monkeypatch):
    clerk = UserFactory(role="bureau", email="clerk@example.org")
    notify([clerk], "旧通知")
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)
    assert sweep_email_copies() == 0
