from django.urls import reverse
from django.utils.translation import gettext as _

from portal.dashboard import Entry, Section
from portal.models import Role

from .models import Unit


def sections(user) -> list[Section]:
    if user.role == Role.BUREAU:
        pending = Unit.objects.filter(status=Unit.Status.PENDING).order_by("created_at")
        return [
            Section(
                title=_("待审核的单位注册"),
                entries=[
                    Entry(unit.name, reverse("units:detail", args=[unit.pk]), unit.credit_code)
                    for unit in pending[:8]
                ],
                count=pending.count(),
                more_url=reverse("units:list") + "?status=pending",
            )
        ]
    if user.role == Role.ENTERPRISE and not user.unit.is_approved:
        return [
            Section(
                title=_("单位注册"),
                entries=[
                    Entry(
                        _("登记状态：%(s)s") % {"s": user.unit.get_status_display()},
                        reverse("units:mine"),
                        user.unit.review_note,
                    )
                ],
            )
        ]
    return []
