"""Deadline reminders: pledges not signed and applications not submitted as a deadline nears.

The daily beat task runs this once a day; reminding only at fixed distances from the deadline
(7, 3 and 1 days) keeps it free of state and never sends the same reminder twice a day.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Cycle
from assessments.models.applications import EDITABLE_BY_ENTERPRISE
from portal.models import Role, User
from portal.notifications import notify
from units.models import Unit

REMIND_DAYS_BEFORE = (7, 3, 1)


def send_deadline_reminders(today: datetime.date | None = None) -> int:
    """Notify enterprise users whose unit still owes a pledge or an application; return count."""
    today = today or timezone.localdate()
    cycle = Cycle.objects.current()
    if cycle is None:
        return 0
    sent = 0
    pledge_days = (cycle.pledge_deadline - today).days
    if pledge_days in REMIND_DAYS_BEFORE:
        owing = Unit.objects.approved().exclude(pledges__cycle=cycle)
        users = list(User.objects.filter(role=Role.ENTERPRISE, is_active=True, unit__in=owing))
        notify(
            users,
            _("请于%(date)s前签署%(cycle)s安全生产诚信建设承诺书（还剩%(days)d天）")
            % {"date": cycle.pledge_deadline, "cycle": cycle.name, "days": pledge_days},
            link=reverse("assessments:pledge_sign"),
        )
        sent += len(users)
    application_days = (cycle.application_deadline - today).days
    if application_days in REMIND_DAYS_BEFORE:
        # Units that pledged but have not submitted (a draft, a return, or not yet started).
        submitted = Application.objects.filter(cycle=cycle).exclude(
            status__in=[*EDITABLE_BY_ENTERPRISE]
        )
        owing = Unit.objects.filter(pledges__cycle=cycle).exclude(applications__in=submitted)
        users = list(User.objects.filter(role=Role.ENTERPRISE, is_active=True, unit__in=owing))
        notify(
            users,
            _("请于%(date)s前提交%(cycle)s安全生产诚信评估申请（还剩%(days)d天）")
            % {"date": cycle.application_deadline, "cycle": cycle.name, "days": application_days},
            link=reverse("assessments:application_mine"),
        )
        sent += len(users)
    return sent
