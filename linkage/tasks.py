"""Celery tasks: thin wrappers over services (the database decides what is still to do)."""

from celery import shared_task

from .services import delivery, inbox, supervision


@shared_task(acks_late=True)
def deliver_inbox(notice_ids: list[int]) -> int:
    return delivery.deliver_inbox(notice_ids)


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    return delivery.deliver_webhook(delivery_id)


@shared_task
def sweep_deliveries() -> dict:
    return delivery.sweep()


@shared_task
def send_ack_reminders() -> int:
    return inbox.send_ack_reminders()


@shared_task
def send_hazard_reminders() -> int:
    return supervision.send_hazard_reminders()


@shared_task
def detect_two_years_without_star() -> int:
    return len(supervision.detect_two_years_without_star())
