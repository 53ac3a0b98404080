"""Phone numbers and contact names are masked (139****5678, 王**) wherever they are shown,
except to the person or unit they belong to. A reader whose role needs the full value presses
"显示" — a POST that is recorded in the audit log — and sees it once.

Which records hold a contact, and who may reveal it, is said by the "显示" view
(portal/views/personal_data.py), which reads the stages' models.
"""

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


def owns(user, kind: str, pk: int) -> bool:
    """An enterprise sees its own unit's contact in full: it is its own data."""
    return (
        kind == "unit"
        and getattr(user, "role", None) == Role.ENTERPRISE
        and getattr(user, "unit_id", None) == pk
    )
