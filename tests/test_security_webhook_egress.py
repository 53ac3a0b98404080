"""Webhooks never reach the platform's own machine or network (SSRF).

Loopback, private, link-local and other non-public addresses are refused when the bureau saves
an endpoint and again before each delivery (a name may resolve elsewhere by then), unless the
deployment names an internal range in LINKAGE_WEBHOOK_ALLOWED_NETWORKS.
"""

import datetime

import pytest

from linkage.models import WebhookDelivery
from linkage.services import delivery
from linkage.services.tokens import set_webhook
from tests.publication_support import confirmed, past_cycle, publish_confirmed
from tests.throwaway import Receiver
from units.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_allowed(settings, monkeypatch):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


def save_endpoint(client_as, url):
    caizheng = Department.objects.get(short_name="财政")
    # Endpoints are the security administrator's (三权分立).
    return client_as("secadmin").post(
        f"/linkage/departments/{caizheng.pk}/webhook/", {"webhook_url": url}
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost:8000/",
    ],
)
def test_inside_addresses_are_refused_when_saved(world, client_as, url):
    response = save_endpoint(client_as, url)
    assert "不能向本机、内网或链路本地地址" in response.content.decode()
    assert Department.objects.get(short_name="财政").link.webhook_url == ""


def test_a_name_that_does_not_resolve_is_refused_with_a_reason(world, client_as):
    response = save_endpoint(client_as, "https://no-such-host.invalid/hook")
    assert "无法解析主机名" in response.content.decode()


def test_a_named_internal_range_is_allowed(world, client_as, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    save_endpoint(client_as, "http://10.20.3.4/hook")
    assert Department.objects.get(short_name="财政").link.webhook_url == "http://10.20.3.4/hook"
    assert "不能向" in save_endpoint(client_as, "http://10.21.0.1/").content.decode()


def test_delivery_checks_the_address_again_and_sends_nothing_inside(
    world, django_capture_on_commit_callbacks
):
    caizheng = Department.objects.get(short_name="财政")
    with Receiver() as receiver:
        # Saved when allowed (or when its name pointed outside); now it points inside.
        set_webhook(department=caizheng, url=receiver.url, rotate_secret=True)
        applications = confirmed([(world.unit, 5)], past_cycle(2025))
        with django_capture_on_commit_callbacks(execute=True):
            publish_confirmed(applications)
        hook = WebhookDelivery.objects.get(notice__department=caizheng)
        WebhookDelivery.objects.filter(pk=hook.pk).update(
            next_attempt_at=datetime.datetime.now(datetime.UTC)
        )
        delivery.deliver_webhook(hook.pk)
    assert receiver.requests == []
    attempt = hook.attempt_log.get()
    assert attempt.status_code is None and attempt.error.startswith("refused")
