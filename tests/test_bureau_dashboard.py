"""The bureau's dashboard lists only what needs action, and says in words what a failure means:
no "0 条未答复", no "ConnectionError: [Errno 111]", and a stopped Redis or worker named with what
it means for the clerk."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from linkage.models import Notice, WebhookDelivery
from portal import service_status
from portal.celery import app
from portal.demo.publications import demo_cycle
from ratings.services import publicity
from tests.access.ratings import open_item
from tests.publication_support import publish_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker_for_services(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def healthy(monkeypatch):
    """The services' state is not what these tests look at: pretend both answer."""
    monkeypatch.setattr(service_status, "problem", lambda: None)


def dashboard(client_as) -> str:
    return client_as("bureau").get(reverse("portal:dashboard")).content.decode()


def test_only_items_with_unanswered_comments_are_listed(client_as, world, healthy):
    cycle = demo_cycle(2026, is_open=False)
    users = world.users
    quiet = open_item(cycle, world.other_unit, users["bureau"], users["expert"], title="甲")
    commented = open_item(cycle, world.unit, users["bureau"], users["expert"], title="乙")
    publicity.submit_comment(
        item=commented, content="消防通道堵塞。", contact_name="张三", contact_phone="13900000000"
    )
    text = dashboard(client_as)
    assert "0 条未答复" not in text
    assert "1 条未答复" in text
    assert reverse("ratings:item_detail", args=[commented.pk]) in text
    assert reverse("ratings:item_detail", args=[quiet.pk]) not in text


def test_a_failed_push_is_explained_not_dumped(client_as, world, healthy):
    publish_results([(world.unit, 4)], year=2025)
    WebhookDelivery.objects.create(
        notice=Notice.objects.filter(unit=world.unit).first(),
        status=WebhookDelivery.Status.FAILED,
        attempts=6,
        last_error="ConnectionError: [Errno 111] Connection refused",
    )
    text = dashboard(client_as)
    assert "Errno" not in text and "ConnectionError" not in text
    assert "无法连接对方系统" in text


def test_empty_queues_are_not_shown(client_as, world, healthy):
    text = dashboard(client_as)
    for empty in (
        "没有失败的推送。",
        "没有逾期隐患。",
        "没有到期的整改指令。",
        "暂无待办事项</li>",
    ):
        assert empty not in text


def test_redis_down_is_named_with_what_it_means(client_as, world, settings):
    service_status.forget()
    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        text = dashboard(client_as)
    finally:
        app.conf.broker_url = original
        service_status.forget()
    assert "后台任务服务（Redis）暂不可用" in text
    assert "证书、联动通报推送和邮件将在恢复后自动发送" in text
    assert "Errno" not in text and "refused" not in text


@pytest.mark.django_db(transaction=True)  # starting a worker closes this thread's connection
def test_a_stopped_worker_is_named_and_a_running_one_is_not(client_as, world):
    service_status.forget()
    assert "Celery worker）未运行" in dashboard(client_as)  # the suite runs no worker
    import celery.contrib.testing.tasks  # noqa: F401 - the worker's own ping task

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        service_status.forget()
        text = dashboard(client_as)
    service_status.forget()
    assert "后台服务" not in text
