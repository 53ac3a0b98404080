"""Tell users what is asked of them: an in-portal notification, and an e-mail copy via Celery.

The notification row is the record; its e-mail copy is sent by a worker, which stamps
``emailed_at``. If Redis is down when the notification is written, the copy is not lost: the
sweep (beat, every five minutes) queues copies still unsent, for two days.
"""

import datetime
import logging
from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal import queue
from portal.models import Notification, User
from portal.text import single_line

logger = logging.getLogger(__name__)

EMAIL_GIVE_UP_AFTER = datetime.timedelta(days=2)
EMAIL_GRACE = datetime.timedelta(seconds=60)


def notify(recipients: Iterable[User], subject: str, body: str = "", link: str = "") -> None:
    subject = single_line(subject)  # an e-mail subject is one header line
    rows = [
        Notification(recipient=user, subject=subject, body=body, link=link)
        for user in recipients
        if user.is_active
    ]
    Notification.objects.bulk_create(rows)
    with_email = [row.pk for row in rows if row.recipient.email]
    if with_email:
        transaction.on_commit(lambda: _enqueue_email(with_email))


def _enqueue_email(notification_ids: list[int]) -> bool:
    from portal.tasks import email_notifications

    return queue.send_tasks([(email_notifications, (notification_ids,), {})])


def send_email_copies(notification_ids: list[int]) -> int:
    """Send the copies not sent yet (one message per subject and body); returns how many
    notifications were e-mailed. A copy queued twice is sent once.

    Each message is sent on its own: one that can never be sent (a header Django refuses) is
    logged and stamped so that no sweep retries it, and it does not stop the others. When the
    mail server is unreachable, what was sent is stamped and the task retries the rest.
    """
    sent, unreachable = 0, None
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=notification_ids, emailed_at__isnull=True)
            .exclude(recipient__email="")
            .select_related("recipient")
        )
        groups: dict[tuple[str, str], list[Notification]] = {}
        for row in rows:
            groups.setdefault((row.subject, row.body), []).append(row)
        done = []
        for (subject, body), group in groups.items():
            try:
                send_mail(subject, body, None, sorted({row.recipient.email for row in group}))
            except OSError as error:  # the server is down: retry later, keep what went out
                unreachable = error
                break
            except Exception as error:  # noqa: BLE001 - this message can never be sent
                logger.error(
                    "e-mail copy refused, not retried: notifications=%s error=%r",
                    [row.pk for row in group],
                    error,
                )
            else:
                sent += len(group)
            done.extend(row.pk for row in group)
        Notification.objects.filter(pk__in=done).update(emailed_at=timezone.now())
    if unreachable is not None:
        raise unreachable
    return sent


def sweep_email_copies() -> int:
    """Queue the copies the broker never took (Redis was down when they were written)."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(
            emailed_at__isnull=True,
            created_at__lte=now - EMAIL_GRACE,
            created_at__gte=now - EMAIL_GIVE_UP_AFTER,
        )
        .exclude(recipient__email="")
        .values_list("pk", flat=True)[:5000]
    )
    if ids and not _enqueue_email(ids):
        return 0
    return len(ids)
