from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.access import signed_in


@signed_in
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page})


@signed_in
@require_POST
def mark_all_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("portal:notifications")
