"""好差评 on the dashboards: services awaiting the enterprise's rating; the bureau's tickets."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Entry, Section
from portal.models import Role

from .models import ServiceRating


def sections(user) -> list[Section]:
    if user.role == Role.ENTERPRISE and user.unit_id:
        waiting = ServiceRating.objects.awaiting().filter(unit_id=user.unit_id)
        return [
            Section(
                title=_("待评价的服务"),
                entries=[Entry(rating.title, reverse("feedback:mine")) for rating in waiting[:5]],
                count=waiting.count(),
                more_url=reverse("feedback:mine"),
                empty_text=_("没有待评价的服务。"),
            )
        ]
    if user.role == Role.BUREAU:
        today = timezone.localdate()
        open_tickets = (
            ServiceRating.objects.open_tickets().select_related("unit").order_by("due_on", "pk")
        )
        return [
            Section(
                title=_("差评工单（15个工作日内答复）"),
                entries=[
                    Entry(
                        f"{ticket.unit.name} · {ticket.title}",
                        reverse("feedback:tickets"),
                        (
                            _("已逾期，答复期限 %(d)s")
                            if ticket.is_overdue(today)
                            else _("答复期限 %(d)s")
                        )
                        % {"d": ticket.due_on},
                        urgent=ticket.is_overdue(today),
                    )
                    for ticket in open_tickets[:10]
                ],
                count=open_tickets.count(),
                more_url=reverse("feedback:tickets"),
            )
        ]
    return []
