"""Delivering notices: into the in-portal inbox, and as signed webhooks.

Both are idempotent. The inbox sets ``delivered_at`` once; a webhook carries the notice's
stable id, and its row is locked while an attempt runs so two copies of a task never post
twice. Retries are scheduled from the database (``next_attempt_at``); a Celery countdown only
speeds them up, and the sweep finds them if that message is lost.
"""

import json
import time
from datetime import timedelta

import requests
from django.db import connection, transaction
from django.utils import timezone

from portal import audit, queue
from portal.refusals import Refused
from units.models import Department, Unit

from .. import conf, webhooks
from ..egress import check_endpoint
from ..models import DeliveryAttempt, DepartmentLink, Notice, WebhookDelivery

# One statement per batch: lock the batch's notices (skipping rows another worker holds), mark
# those still undelivered delivered, and write their audit entries (one per notice, decision
# 0006) straight from the updated rows. Building 1,000 LogEntry objects in Python, plus a
# SELECT and a separate UPDATE, cost more than the notice insert itself (decision 0081). The
# rows are found by their ids alone: asked for "undelivered" too, PostgreSQL walked the index of
# undelivered notices, all of a publication's, for each batch (decision 0117).
_DELIVER_SQL = f"""
WITH fresh AS (
    SELECT id, delivered_at FROM {Notice._meta.db_table}
    WHERE id = ANY(%(ids)s)
    ORDER BY id
    FOR UPDATE SKIP LOCKED
), marked AS (
    UPDATE {Notice._meta.db_table} AS notice SET delivered_at = %(now)s
    FROM fresh WHERE notice.id = fresh.id AND fresh.delivered_at IS NULL
    RETURNING notice.id, notice.department_id, notice.unit_id
), logged AS ({{audit_insert}})
SELECT department_id, count(*) FROM marked GROUP BY department_id
"""  # noqa: S608  # nosec B608 - table names from the models, values are parameters

_AUDIT_ROWS_SQL = f"""
    SELECT marked.id, department.short_name || ': ' || unit.name,
           jsonb_build_object('delivered_at', jsonb_build_array('None', %(now_text)s::text))
    FROM marked
    JOIN {Department._meta.db_table} AS department ON department.id = marked.department_id
    JOIN {Unit._meta.db_table} AS unit ON unit.id = marked.unit_id
    ORDER BY marked.id
"""  # noqa: S608  # nosec B608 - table names from the models, values are parameters


def deliver_inbox(notice_ids: list[int]) -> int:
    """Make these notices visible in their departments' inboxes; returns how many were new."""
    now = timezone.now()
    sql = _DELIVER_SQL.replace("{audit_insert}", audit.insert_from(_AUDIT_ROWS_SQL))
    params = {
        "ids": list(notice_ids),
        "now": now,
        "now_text": audit.as_text(now),
        **audit.insert_params(Notice, audit.Action.UPDATE),
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            per_department = dict(cursor.fetchall())
        if not per_department:
            return 0
        # Not sealed here: the chain's beat task (portal.tasks.seal_audit_log, every minute)
        # seals these entries with everything else written meanwhile. Sealing after each batch
        # serialised the workers on the chain's lock and took longer than the delivery itself
        # (docs/benchmarks/linkage.md).
        count = sum(per_department.values())
        _email_departments(set(per_department), count)
    return count


def _email_departments(department_ids: set[int], count: int) -> None:
    """The optional e-mail channel: one short message per department and batch."""
    from django.utils.translation import gettext as _

    from portal.tasks import send_email

    for link in DepartmentLink.objects.filter(department_id__in=department_ids).exclude(email=""):
        subject = _("安全生产诚信联动通报已送达")
        body = _("贵部门收到新的安全生产诚信评级通报，请登录平台签收并记录采取的措施。")
        address = link.email
        transaction.on_commit(
            lambda s=subject, b=body, a=address: queue.send_tasks([(send_email, (s, b, [a]), {})])
        )


def payload(notice: Notice) -> bytes:
    rating = notice.rating
    body = {
        "type": f"rating.{notice.event}",
        "timestamp": notice.created_at.isoformat(),
        "data": {
            "notice_id": notice.webhook_id,
            "event": notice.event,
            "result": notice.result,
            "measure": notice.measure,
            "measure_category": notice.category,
            "basis": {"document": notice.basis_document, "article": notice.basis_article},
            "reason": notice.reason,
            "policy_version": notice.policy_version.number,
            "department": notice.department.short_name,
            "unit": {"name": notice.unit.name, "credit_code": notice.unit.credit_code},
            "rating": {
                "cycle": rating.cycle.year,
                "star": rating.star,
                "published_on": rating.published_on.isoformat(),
            },
        },
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def deliver_webhook(delivery_id: int) -> str:
    """One attempt, if due. Returns the delivery status (or "busy"/"not_due")."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "notice__unit",
                "notice__rating__cycle",
                "notice__department__link",
                "notice__policy_version",
            )
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "busy"
        if delivery.status != WebhookDelivery.Status.PENDING:
            return delivery.status
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=1):
            return "not_due"
        link = delivery.notice.department.link
        delivery.attempts += 1
        if not (link.is_enabled and link.has_webhook):
            status_code, error, elapsed = None, "endpoint removed", 0
            delivery.attempts = conf.webhook_max_attempts()
        else:
            status_code, error, elapsed = _post(link, delivery.notice)
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempt_log.count() + 1,
            url=link.webhook_url or "-",
            status_code=status_code,
            error=error[:300],
            duration_ms=elapsed,
        )
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        elif delivery.attempts >= conf.webhook_max_attempts():
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = error[:300]
        else:
            delay = conf.backoff_seconds(delivery.attempts)
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            delivery.last_error = error[:300]
            transaction.on_commit(lambda: _schedule_retry(delivery_id, delay))
        delivery.save()
    return delivery.status


def _post(link: DepartmentLink, notice: Notice) -> tuple[int | None, str, int]:
    body = payload(notice)
    headers = webhooks.signed_headers(link.webhook_secret, notice.webhook_id, body)
    started = time.monotonic()
    try:
        check_endpoint(link.webhook_url)  # resolved again: the name may point elsewhere now
    except Refused as error:
        return None, f"refused: {error}", _ms_since(started)
    try:
        response = requests.post(
            link.webhook_url,
            data=body,
            headers=headers,
            timeout=(conf.webhook_connect_timeout(), conf.webhook_read_timeout()),
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return None, f"{type(error).__name__}: {error}", _ms_since(started)
    error = "" if response.ok else f"HTTP {response.status_code}"
    return response.status_code, error, _ms_since(started)


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _schedule_retry(delivery_id: int, delay: int) -> None:
    from ..tasks import deliver_webhook as task

    # If this message is lost the sweep re-queues the delivery once it is due.
    queue.send_tasks([(task, (delivery_id,), {"countdown": delay})])


def resend(delivery: WebhookDelivery) -> None:
    """The bureau's re-send: a failed delivery gets a fresh round of attempts."""
    from .outbox import queue_after_commit

    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.status != WebhookDelivery.Status.FAILED:
            return
        locked.status = WebhookDelivery.Status.PENDING
        locked.attempts = 0
        locked.next_attempt_at = timezone.now()
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        queue_after_commit([], [locked.pk])


def sweep(older_than: int | None = None) -> dict[str, int]:
    """Re-queue what is still pending: notices written but never delivered, webhooks due."""
    from .outbox import enqueue

    grace = timedelta(seconds=conf.stale_after_seconds() if older_than is None else older_than)
    cutoff = timezone.now() - grace
    notice_ids = list(
        Notice.objects.filter(delivered_at__isnull=True, created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:200_000]
    )
    delivery_ids = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=cutoff
        ).values_list("pk", flat=True)[:10_000]
    )
    queued = enqueue(notice_ids, delivery_ids)
    return {
        "notices": len(notice_ids),
        "webhooks": len(delivery_ids),
        "queued": int(queued),
    }
