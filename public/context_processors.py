from functools import cache

from django.conf import settings

from portal.prepared import PreparedRead
from portal.site import site_context


def portal(request):
    """What every page's chrome shows. Kept on the request: a view that renders a fragment
    with the request and then the page around it reads this once."""
    found = getattr(request, "_portal_context", None)
    if found is None:
        found = request._portal_context = _portal(request)
    return found


def _portal(request):
    from ratings.stage import stage_labels

    user = getattr(request, "user", None)
    unread = 0
    if user is not None and user.is_authenticated:
        unread = user.notifications.filter(read_at__isnull=True).count()
    found = _current_cycle()
    cycle = found[0] if found else None
    return {
        **site_context(),
        "unread_notifications": unread,
        "current_cycle": cycle,
        "current_stages": stage_labels(cycle),
        "session_idle_seconds": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_seconds": settings.SESSION_IDLE_WARNING,
        "session_warning_minutes": max(settings.SESSION_IDLE_WARNING // 60, 1),
    }


def _current_cycle():
    """``Cycle.objects.current()`` for the banner on every page: its name and stage only (not
    the pledge text), compiled once and prepared (portal/prepared.py)."""
    return _current_cycle_read()()


@cache
def _current_cycle_read() -> PreparedRead:
    from assessments.models import Cycle

    return PreparedRead(lambda: Cycle.objects.only("year", "name", "phase").open()[:1])
