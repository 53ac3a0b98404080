"""Whether the background services answer, said in words a clerk can act on.

Nothing the bureau does waits on Redis or the Celery worker (the database keeps the work and a
sweep queues it later), but certificates, notice pushes and e-mail copies stop until both are
back. The bureau's dashboard says so, instead of leaving people to wonder why a certificate
never appears. The answer is kept for a short while in this process: a dashboard should not
pay a broker round trip on every load, and the cache itself lives in Redis.
"""

import logging
import time

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RECHECK_AFTER_SECONDS = 30
BROKER_DOWN = "broker_down"
WORKER_DOWN = "worker_down"

_last = {"at": float("-inf"), "problem": None}


def problem() -> str | None:
    """BROKER_DOWN, WORKER_DOWN or None, probed at most every RECHECK_AFTER_SECONDS."""
    if time.monotonic() - _last["at"] >= RECHECK_AFTER_SECONDS:
        _last["problem"], _last["at"] = _probe(), time.monotonic()
    return _last["problem"]


def forget() -> None:
    """Probe afresh on the next call (tests that stop or start a service)."""
    _last["at"] = float("-inf")


def in_words(found: str | None) -> str:
    if found == BROKER_DOWN:
        return _(
            "后台任务服务（Redis）暂不可用：证书、联动通报推送和邮件将在恢复后自动发送，"
            "已办理的业务不受影响。"
        )
    if found == WORKER_DOWN:
        return _(
            "后台任务处理程序（Celery worker）未运行：证书、联动通报推送和邮件将在其恢复后"
            "自动继续，已办理的业务不受影响。"
        )
    return ""


def _probe() -> str | None:
    from portal.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
    except Exception as error:  # noqa: BLE001 - any broker error means the same to a clerk
        logger.warning("broker unavailable for the dashboard (%s)", error)
        return BROKER_DOWN
    try:
        replies = app.control.ping(timeout=0.5, limit=1)
    except Exception as error:  # noqa: BLE001
        logger.warning("worker ping failed for the dashboard (%s)", error)
        replies = []
    return None if replies else WORKER_DOWN
