"""Health endpoints for load balancers and monitoring: the web process, and a worker round trip."""

from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from portal.access import public
from portal.celery import app as celery_app


@public
@never_cache
@transaction.non_atomic_requests  # the request's own transaction would fail before the check
def web(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


@public
@never_cache
@transaction.non_atomic_requests
def worker(request):
    try:
        replies = celery_app.control.ping(timeout=1.0)
    except Exception:  # noqa: BLE001 - broker down is an answer, not an error
        replies = []
    status = 200 if replies else 503
    return JsonResponse(
        {"status": "ok" if replies else "unavailable", "workers": len(replies)}, status=status
    )
