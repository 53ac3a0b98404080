"""Phone numbers and contact names are masked (139****5678, 王**) wherever they are shown,
except to the person or unit they belong to. A reader whose role needs the full value presses
"显示" — a POST that is recorded in the audit log — and sees it once.

Each kind of record says who may reveal it, through the same object checks as its own pages.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from portal.models import Role


def mask_phone(value) -> str:
    text = str(value or "")
    if len(text) >= 8:
        return f"{text[:3]}****{text[-4:]}"
    if len(text) > 2:
        return f"{text[0]}{'*' * (len(text) - 2)}{text[-1]}"
    return "*" * len(text)


def mask_name(value) -> str:
    text = str(value or "")
    return f"{text[:1]}{'*' * (len(text) - 1)}" if text else ""


def mask_for_log(value: str) -> str:
    """django-auditlog's mask for the fields listed as ``mask_fields`` (AUDITLOG_MASK_CALLABLE):
    the audit log keeps that a contact changed, not the contact."""
    digits = sum(char.isdigit() for char in value)
    return mask_phone(value) if digits >= len(value) / 2 else mask_name(value)


@dataclass
class Contact:
    name: str
    phone: str
    back_url: str
    described: str


def _unit(user, pk) -> Contact:
    from units.models import Unit

    unit = Unit.objects.visible_to(user).filter(pk=pk).first()
    if unit is None:
        raise Http404
    return Contact(
        unit.contact_name, unit.contact_phone, reverse("units:detail", args=[unit.pk]), unit.name
    )


def _comment(user, pk) -> Contact:
    from ratings.models import Comment

    if user.role != Role.BUREAU:
        raise PermissionDenied
    comment = Comment.objects.filter(pk=pk).select_related("item").first()
    if comment is None:
        raise Http404
    back = reverse("ratings:item_detail", args=[comment.item_id])
    return Contact(comment.contact_name, comment.contact_phone, back, f"comment {comment.pk}")


def _expert(user, pk) -> Contact:
    from assessments.models import Expert

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


def owns(user, kind: str, pk: int) -> bool:
    """An enterprise sees its own unit's contact in full: it is its own data."""
    return (
        kind == "unit"
        and getattr(user, "role", None) == Role.ENTERPRISE
        and getattr(user, "unit_id", None) == pk
    )
