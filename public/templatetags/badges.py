"""The star and certificate-status badges of the public pages.

Tags rather than ``{% include %}``s: tables repeat them on every row, and an include costs tens
of microseconds where a tag costs a few (issue #15). ``public/_star.html`` and
``public/_certificate_status.html`` call these, so each badge has one home.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def star_badge(star) -> str:
    # Each label written out for makemessages.
    if star == 5:
        stars, label = "★★★★★", _("五星级")
    elif star == 4:
        stars, label = "★★★★", _("四星级")
    elif star == 3:
        stars, label = "★★★", _("三星级")
    else:
        return format_html('<span class="badge star-badge star-0">{}</span>', _("无星级"))
    return format_html(
        '<span class="badge star-badge star-{}"><span aria-hidden="true">{}</span> {}</span>',
        star,
        stars,
        label,
    )


@register.simple_tag
def certificate_badge(certificate) -> str:
    return certificate_state_badge(certificate.state())


def certificate_state_badge(state: str) -> str:
    """The badge of a ``Certificate.State`` (pages that read a certificate's columns)."""
    if state == "valid":
        return format_html('<span class="badge text-bg-success">{}</span>', _("有效"))
    if state == "expired":
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("已过期"))
    return format_html('<span class="badge text-bg-danger">{}</span>', _("已撤销"))
