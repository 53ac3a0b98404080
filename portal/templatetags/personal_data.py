from django import template

from portal.personal_data import mask_name, mask_phone, owns

register = template.Library()
register.filter("mask_phone", mask_phone)
register.filter("mask_name", mask_name)


@register.inclusion_tag("includes/contact.html", takes_context=True)
def contact(context, kind: str, pk: int, name, phone):
    """A contact masked for every reader but its owner, with the audited "显示" button."""
    user = context["user"]
    full = owns(user, kind, pk)
    return {
        "kind": kind,
        "pk": pk,
        "name": name if full else mask_name(name),
        "phone": phone if full else mask_phone(phone),
        "masked": not full and bool(name or phone),
        "csrf_token": context.get("csrf_token"),
    }
