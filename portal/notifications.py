"""Tell users what is asked of them: an in-portal notification, and an e-mail via Celery."""

from collections.abc import Iterable

from django.db import transaction

from portal.models import Notification, User


def notify(recipients: Iterable[User], subject: str, body: str = "", link: str = "") -> None:
    rows = [
        Notification(recipient=user, subject=subject, body=body, link=link)
        for user in recipients
        if user.is_active
    ]
    Notification.objects.bulk_create(rows)
    addresses = [row.recipient.email for row in rows if row.recipient.email]
    if addresses:
        from portal.tasks import send_email

        transaction.on_commit(lambda: _enqueue_email(send_email, subject, body, addresses))


def _enqueue_email(task, subject: str, body: str, addresses: list[str]) -> None:
    # The in-portal notification is already saved; a broker outage only loses the e-mail copy.
    from portal import queue

    queue.send_tasks([(task, (subject, body, addresses), {})])
