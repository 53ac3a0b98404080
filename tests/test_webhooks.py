"""Webhooks follow Standard Webhooks: the reference library verifies what we send, our own
helper refuses forgeries and replays, and a receiver that fails twice gets the notice once."""

import datetime
import json
import time

import pytest
from auditlog.models import LogEntry
from standardwebhooks import Webhook

from linkage import webhooks
from linkage.models import Notice, WebhookDelivery
from linkage.services import delivery
from linkage.services.tokens import set_webhook
from tests.publication_support import confirmed, past_cycle, publish_confirmed, publish_results
from tests.throwaway import Receiver, ThrowawayRedis, WorkerProcess, broker, wait_for
from units.models import Department

BODY = b'{"type":"rating.published","data":{"unit":"\xe6\x96\xb0\xe9\x83\x91"}}'


# --- signatures -----------------------------------------------------------------------------


def test_the_reference_library_verifies_our_signature():
    secret = webhooks.generate_secret()
    headers = webhooks.signed_headers(secret, "msg_1", BODY)
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)


def test_our_helper_accepts_what_the_reference_library_signs():
    secret = webhooks.generate_secret()
    now = datetime.datetime.now(datetime.UTC)
    signature = Webhook(secret).sign("msg_2", now, BODY.decode())
    headers = {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    webhooks.verify(secret, headers, BODY)


def test_a_forged_signature_is_rejected():
    secret, other = webhooks.generate_secret(), webhooks.generate_secret()
    headers = webhooks.signed_headers(other, "msg_3", BODY)
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.verify(secret, headers, BODY)


def test_a_tampered_body_is_rejected():
    secret = webhooks.generate_secret()
    headers = webhooks.signed_headers(secret, "msg_4", BODY)
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.verify(secret, headers, BODY.replace(b"published", b"revoked"))


def test_a_stale_signature_is_rejected_even_when_it_is_genuine():
    secret = webhooks.generate_secret()
    an_hour_ago = int(time.time()) - 3600
    headers = webhooks.signed_headers(secret, "msg_5", BODY, timestamp=an_hour_ago)
    with pytest.raises(webhooks.WebhookVerificationError, match="tolerance"):
        webhooks.verify(secret, headers, BODY)


def test_missing_headers_are_rejected():
    with pytest.raises(webhooks.WebhookVerificationError):
        webhooks.verify(webhooks.generate_secret(), {"webhook-id": "msg_6"}, BODY)


# --- delivery, in process -----------------------------------------------------------------


@pytest.fixture
def no_broker(monkeypatch):
    sent = []
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: sent.extend(calls) or True)
    return sent


def _publish_to_caizheng(world, url, django_capture_on_commit_callbacks):
    caizheng = Department.objects.get(short_name="财政")
    secret = set_webhook(department=caizheng, url=url, rotate_secret=True)
    applications = confirmed([(world.unit, 5)], past_cycle(2025))
    with django_capture_on_commit_callbacks(execute=True):
        publish_confirmed(applications)
    return WebhookDelivery.objects.get(notice__department=caizheng), secret


@pytest.mark.django_db
def test_only_departments_with_an_endpoint_get_webhook_deliveries(
    world, no_broker, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        hook, _secret = _publish_to_caizheng(
            world, receiver.url, django_capture_on_commit_callbacks
        )
    assert WebhookDelivery.objects.count() == 1
    assert hook.notice.department.short_name == "财政"


@pytest.mark.django_db
def test_a_delivery_that_keeps_failing_is_marked_failed_and_can_be_resent(
    world, no_broker, monkeypatch, client_as, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("LINKAGE_WEBHOOK_MAX_ATTEMPTS", "3")
    with Receiver(statuses=[503]) as receiver:
        hook, _secret = _publish_to_caizheng(
            world, receiver.url, django_capture_on_commit_callbacks
        )
        for _attempt in range(3):
            WebhookDelivery.objects.filter(pk=hook.pk).update(
                next_attempt_at=datetime.datetime.now(datetime.UTC)
            )
            delivery.deliver_webhook(hook.pk)
    hook.refresh_from_db()
    assert hook.status == WebhookDelivery.Status.FAILED
    assert [a.status_code for a in hook.attempt_log.all()] == [503, 503, 503]
    assert all(a.duration_ms >= 0 and a.error == "HTTP 503" for a in hook.attempt_log.all())

    bureau = client_as("bureau")
    page = bureau.get("/linkage/deliveries/?status=failed")
    assert "重新发送" in page.content.decode()
    assert bureau.get(f"/linkage/deliveries/{hook.pk}/resend/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        bureau.post(f"/linkage/deliveries/{hook.pk}/resend/")
    hook.refresh_from_db()
    assert hook.status == WebhookDelivery.Status.PENDING and hook.attempts == 0


@pytest.mark.django_db
def test_backoff_doubles_and_is_capped(monkeypatch):
    from linkage import conf

    monkeypatch.setenv("LINKAGE_WEBHOOK_BACKOFF_BASE", "30")
    monkeypatch.setenv("LINKAGE_WEBHOOK_BACKOFF_CAP", "300")
    assert [conf.backoff_seconds(n) for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


@pytest.mark.django_db
def test_a_slow_endpoint_times_out_and_the_attempt_is_logged(
    world, no_broker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("LINKAGE_WEBHOOK_READ_TIMEOUT", "1")
    with Receiver(delay=2.5) as receiver:
        hook, _secret = _publish_to_caizheng(
            world, receiver.url, django_capture_on_commit_callbacks
        )
        assert delivery.deliver_webhook(hook.pk) == WebhookDelivery.Status.PENDING
    attempt = hook.attempt_log.get()
    assert attempt.status_code is None and "Timeout" in attempt.error
    assert 900 <= attempt.duration_ms < 2500


@pytest.mark.django_db
def test_after_a_hanging_endpoint_recovers_the_notice_is_delivered_once(
    world, no_broker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("LINKAGE_WEBHOOK_READ_TIMEOUT", "1")
    with Receiver(delays=[2.5, 0]) as receiver:
        hook, secret = _publish_to_caizheng(world, receiver.url, django_capture_on_commit_callbacks)
        assert delivery.deliver_webhook(hook.pk) == WebhookDelivery.Status.PENDING  # timed out
        WebhookDelivery.objects.filter(pk=hook.pk).update(
            next_attempt_at=datetime.datetime.now(datetime.UTC)
        )  # the backoff has passed
        assert delivery.deliver_webhook(hook.pk) == WebhookDelivery.Status.DELIVERED
        assert delivery.deliver_webhook(hook.pk) == WebhookDelivery.Status.DELIVERED  # a replay
    assert [a.status_code for a in hook.attempt_log.order_by("number")] == [None, 200]
    # The endpoint saw the hung attempt and the good one, under one id, so it keeps one.
    assert receiver.webhook_ids() == [hook.notice.webhook_id] * 2
    headers, body = receiver.requests[-1]
    assert Webhook(secret).verify(body, headers)["data"]["notice_id"] == hook.notice.webhook_id
    changes = LogEntry.objects.get_for_object(hook).values_list("changes", flat=True)
    assert any(change.get("status") == ["pending", "delivered"] for change in changes)


@pytest.mark.django_db
def test_only_the_security_administrator_sets_endpoints(world, client_as, monkeypatch):
    # caizheng.example does not resolve here; a public address stands in for it.
    monkeypatch.setattr("linkage.egress.resolve", lambda host, port: ["93.184.215.14"])
    caizheng = Department.objects.get(short_name="财政")
    url = f"/linkage/departments/{caizheng.pk}/webhook/"
    for persona in ("bureau", "sysadmin", "auditadmin"):
        response = client_as(persona).post(url, {"webhook_url": "https://evil.example/"})
        assert response.status_code == 403, persona
    admin = client_as("secadmin")
    response = admin.post(url, {"webhook_url": "https://caizheng.example/hooks"})
    assert response.status_code == 200
    assert "whsec_" in response.content.decode()
    caizheng.link.refresh_from_db()
    assert caizheng.link.webhook_url == "https://caizheng.example/hooks"


# --- delivery with a real worker ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_receiver_failing_twice_then_succeeding_gets_the_notice_once(world):
    redis = ThrowawayRedis()
    redis.start()
    worker = WorkerProcess(redis.url, LINKAGE_WEBHOOK_BACKOFF_BASE="1")
    try:
        with broker(redis.url), Receiver(statuses=[500, 502, 200]) as receiver:
            worker.start()
            caizheng = Department.objects.get(short_name="财政")
            secret = set_webhook(department=caizheng, url=receiver.url, rotate_secret=True)
            publish_results([(world.unit, 4)], year=2025)
            hook = WebhookDelivery.objects.get()
            wait_for(
                lambda: WebhookDelivery.objects.get(pk=hook.pk).status != "pending", timeout=40
            )
            time.sleep(1.5)  # any duplicate would have arrived by now
    finally:
        worker.stop()
        redis.destroy()

    hook.refresh_from_db()
    assert hook.status == WebhookDelivery.Status.DELIVERED
    assert [a.status_code for a in hook.attempt_log.all()] == [500, 502, 200]
    assert len(receiver.requests) == 3
    ids = {headers["webhook-id"] for headers, _body in receiver.requests}
    assert ids == {Notice.objects.get(department=caizheng).webhook_id}
    accepted_headers, accepted_body = receiver.requests[-1]
    payload = Webhook(secret).verify(accepted_body, accepted_headers)
    assert payload["data"]["unit"]["credit_code"] == world.unit.credit_code
    assert payload["data"]["result"] == "4"
