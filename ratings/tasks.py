"""Celery tasks of the ratings stage: they only call services."""

from celery import shared_task


@shared_task(acks_late=True)
def render_certificates(job_id: int, certificate_ids: list[int]) -> None:
    from .services.certificates import render_chunk

    render_chunk(job_id, certificate_ids)


@shared_task
def publish_due() -> int:
    from .services.publication import publish_due as publish

    return publish()


@shared_task
def queue_waiting_certificate_jobs() -> int:
    from .services.certificates import queue_waiting_jobs

    return queue_waiting_jobs()
