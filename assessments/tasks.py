from celery import shared_task

from assessments.services import reminders


@shared_task
def send_deadline_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind units of pledge and application deadlines."""
    return reminders.send_deadline_reminders()
