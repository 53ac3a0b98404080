"""The audited "显示" action for a masked contact (masking: portal/personal_data.py).

Each kind of record says who may reveal it, through the same object checks as its own pages.
This view reads the stages' models directly: it is project glue, above every stage.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.models import Expert
from portal.access import roles
from portal.models import Role
from portal.security_events import SecurityEvent, record_security_event
from ratings.models import Comment
from units.models import Unit


@dataclass
class Contact:
    name: str
    phone: str
    back_url: str
    described: str


def _unit(user, pk) -> Contact:
    unit = Unit.objects.visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return Contact(
        unit.contact_name, unit.contact_phone, reverse("units:detail", args=[unit.pk]), unit.name
    )


def _comment(user, pk) -> Contact:
    if user.role != Role.BUREAU:
        raise PermissionDenied
    comment = Comment.objects.filter(pk=pk).select_related("item").first()
    if comment is None:
        raise Http404
    back = reverse("ratings:item_detail", args=[comment.item_id])
    return Contact(comment.contact_name, comment.contact_phone, back, f"comment {comment.pk}")


def _expert(user, pk) -> Contact:
    if user.role != Role.BUREAU:
        raise PermissionDenied
    expert = Expert.objects.filter(pk=pk).first()
    if expert is None:
        raise Http404
    back = reverse("evaluation:expert_detail", args=[expert.pk])
    return Contact(expert.name, expert.phone, back, expert.name)


KINDS = {"unit": _unit, "comment": _comment, "expert": _expert}
# Every role that may reveal some kind; each kind checks its own readers and the object.
REVEALERS = (Role.BUREAU, Role.GOVERNMENT, Role.TOWNSHIP, Role.SUPERVISOR, Role.ENTERPRISE)


def contact_for(user, kind: str, pk: int) -> Contact:
    loader = KINDS.get(kind)
    if loader is None:
        raise Http404
    return loader(user, pk)


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
