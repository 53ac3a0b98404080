from celery import shared_task
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(subject: str, body: str, addresses: list[str]) -> int:
    return send_mail(subject, body, None, addresses)


@shared_task
def ping() -> str:
    """A round trip through the broker and a worker; used by health checks and tests."""
    return "pong"
