"""The audited "显示" action for a masked contact (portal.personal_data)."""

from django.shortcuts import render
from django.views.decorators.http import require_POST

from portal.access import roles
from portal.personal_data import REVEALERS, contact_for
from portal.security_events import SecurityEvent, record_security_event


@roles(*REVEALERS)
@require_POST
def reveal_contact(request, kind, pk):
    contact = contact_for(request.user, kind, pk)
    record_security_event(
        SecurityEvent.PERSONAL_DATA_SHOWN,
        request=request,
        description=f"{kind} {pk} {contact.described}"[:200],
        details={"kind": kind, "pk": pk},
    )
    return render(request, "portal/personal_data.html", {"contact": contact})
