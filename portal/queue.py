"""Queueing Celery tasks without ever waiting on a dead broker.

Called after commit, when the work is already in the database (outbox notices, certificate
jobs, notifications). One connection attempt and no retries (Celery's default policy retries
for seconds per message); on failure it logs and returns False, and a periodic sweep queues
the work once Redis is back.
"""

import logging

logger = logging.getLogger(__name__)


def send_tasks(calls: list[tuple]) -> bool:
    """Send (task, args, options) triples over one connection; False if the broker is down."""
    if not calls:
        return True
    from portal.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
            for task, args, options in calls:
                task.apply_async(args, connection=connection, retry=False, **options)
    except Exception as error:  # noqa: BLE001 - any broker error; the database keeps the work
        logger.warning("tasks not queued (%s); a sweep will queue them", error)
        return False
    return True
