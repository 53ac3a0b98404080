"""Session limits (等保 level 3): an idle timeout, an absolute limit, and a list of one's own
signed-in sessions with a button to end any of them.

Times are kept in the session as epoch seconds. The last-seen time is written at most once a
``SESSION_TOUCH_SECONDS``, so an ordinary page view does not rewrite the session row; the idle
timeout is therefore exact to within that interval.
"""

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED_KEY = "signed_in_at"
SEEN_KEY = "last_seen_at"


def expired(request) -> str | None:
    now = time.time()
    started = request.session.get(STARTED_KEY)
    seen = request.session.get(SEEN_KEY)
    if started is not None and now - started > settings.SESSION_ABSOLUTE_LIMIT:
        return _("登录已超过%(hours)d小时，请重新登录。") % {
            "hours": settings.SESSION_ABSOLUTE_LIMIT // 3600
        }
    if seen is not None and now - seen > settings.SESSION_IDLE_TIMEOUT:
        return _("您已%(minutes)d分钟未操作，为保护账号安全已退出登录，请重新登录。") % {
            "minutes": settings.SESSION_IDLE_TIMEOUT // 60
        }
    return None


def touch(request, force: bool = False) -> None:
    from portal.models import SignedInSession

    now = time.time()
    session = request.session
    if STARTED_KEY not in session:  # signed in before the limits existed
        session[STARTED_KEY] = now
    seen = session.get(SEEN_KEY)
    if not force and seen is not None and now - seen < settings.SESSION_TOUCH_SECONDS:
        return
    session[SEEN_KEY] = now
    if session.session_key:
        SignedInSession.objects.update_or_create(
            session_key=session.session_key,
            defaults={"user": request.user, "last_seen_at": timezone.now()},
            create_defaults={
                "user": request.user,
                "last_seen_at": timezone.now(),
                **_client(request),
            },
        )


def note_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: start both clocks and list the session."""
    from portal.models import SignedInSession

    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now
    if request.session.session_key:
        SignedInSession.objects.update_or_create(
            session_key=request.session.session_key,
            defaults={"user": user, "last_seen_at": timezone.now(), **_client(request)},
        )


def note_sign_out(sender, request, user, **kwargs) -> None:
    from portal.models import SignedInSession

    if request is not None and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()


def _client(request) -> dict:
    address = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR")
    agent = request.META.get("HTTP_USER_AGENT", "")
    return {"address": (address or "")[:45], "user_agent": agent[:200]}


def live_sessions_of(user):
    """The user's sessions that can still be used, newest first."""
    from portal.models import SignedInSession

    live_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return SignedInSession.objects.filter(user=user, session_key__in=live_keys).order_by(
        "-signed_in_at"
    )


def end_session(user, pk: int) -> bool:
    """End one of the user's own sessions (someone else's is not found)."""
    from portal.models import SignedInSession

    row = SignedInSession.objects.filter(user=user, pk=pk).first()
    if row is None:
        return False
    Session.objects.filter(session_key=row.session_key).delete()
    row.delete()
    return True
