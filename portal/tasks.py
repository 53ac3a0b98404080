from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(subject: str, body: str, addresses: list[str]) -> int:
    return send_mail(subject, body, None, addresses)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_notifications(notification_ids: list[int]) -> int:
    from portal.notifications import send_email_copies

    return send_email_copies(notification_ids)


@shared_task
def sweep_email_copies() -> int:
    from portal.notifications import sweep_email_copies as sweep

    return sweep()


@shared_task
def ping() -> str:
    """A round trip through the broker and a worker; used by health checks and tests."""
    return "pong"


@shared_task
def seal_audit_log() -> int:
    from portal.audit_chain import seal_pending

    return seal_pending()
