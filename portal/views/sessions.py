"""One's own signed-in sessions, each of which can be ended; the idle-warning keep-alive."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import sessions
from portal.access import signed_in


@signed_in
def session_list(request):
    if request.method == "POST":
        try:
            pk = int(request.POST.get("session", ""))
        except ValueError:
            pk = None
        if pk is not None and sessions.end_session(request.user, pk):
            messages.success(request, _("已结束该会话，它的浏览器须重新登录。"))
        else:
            messages.error(request, _("没有找到这个会话，它可能已经结束。"))
        return redirect("portal:sessions")
    context = {
        "sessions": sessions.live_sessions_of(request.user),
        "current_key": request.session.session_key,
    }
    return render(request, "registration/sessions.html", context)


@signed_in
@require_POST
def keepalive(request):
    """The idle warning's "stay signed in" button: counts as activity, returns nothing."""
    sessions.touch(request, force=True)
    return HttpResponse(status=204)
