"""Deadline reminders: pledges not signed and applications not submitted as a deadline nears.

The daily beat task calls this. A unit that still owes something is reminded once per
deadline, as soon as the deadline is ``DEADLINE_REMIND_DAYS_BEFORE`` days away or nearer (so a
day the beat did not run is caught up the next day); the ``DeadlineReminder`` row makes a rerun,
a second beat or a retried task send nothing twice. The reminder is an in-portal notification
with its e-mail copy (portal.notifications).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Cycle, DeadlineReminder
from assessments.models.applications import EDITABLE_BY_ENTERPRISE
from portal.models import Role, User
from portal.notifications import notify
from units.models import Unit

Deadline = DeadlineReminder.Deadline


def send_deadline_reminders(today: datetime.date | None = None) -> int:
    """Remind the units that still owe a pledge or an application; return users notified."""
    today = today or timezone.localdate()
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().filter(is_open=True).first()
        if cycle is None:
            return 0
        return _remind(cycle, Deadline.PLEDGE, today) + _remind(cycle, Deadline.APPLICATION, today)


def _owing(cycle: Cycle, deadline: str):
    if deadline == Deadline.PLEDGE:
        return Unit.objects.approved().exclude(pledges__cycle=cycle)
    # Units that pledged but have not submitted (a draft, a return, or not yet started).
    submitted = Application.objects.filter(cycle=cycle).exclude(status__in=EDITABLE_BY_ENTERPRISE)
    return Unit.objects.filter(pledges__cycle=cycle).exclude(applications__in=submitted)


def _remind(cycle: Cycle, deadline: str, today: datetime.date) -> int:
    date = cycle.pledge_deadline if deadline == Deadline.PLEDGE else cycle.application_deadline
    days = (date - today).days
    if not 0 <= days <= settings.DEADLINE_REMIND_DAYS_BEFORE:
        return 0
    already = DeadlineReminder.objects.filter(cycle=cycle, deadline=deadline).values("unit_id")
    units = list(_owing(cycle, deadline).exclude(pk__in=already).distinct())
    if not units:
        return 0
    DeadlineReminder.objects.bulk_create(
        DeadlineReminder(cycle=cycle, unit=unit, deadline=deadline) for unit in units
    )
    values = {"date": date.isoformat(), "cycle": cycle.name}
    values["left"] = _("今天截止") if days == 0 else _("还剩%(days)d天") % {"days": days}
    if deadline == Deadline.PLEDGE:
        subject = _("请于%(date)s前签署%(cycle)s安全生产诚信建设承诺书（%(left)s）")
        body = _(
            "%(cycle)s安全生产诚信建设承诺书的签署截止日期为%(date)s。"
            "请登录安全生产诚信联动平台，在工作台签署并报送承诺书。"
        )
        link = reverse("assessments:pledge_sign")
    else:
        subject = _("请于%(date)s前提交%(cycle)s安全生产诚信评估申请（%(left)s）")
        body = _(
            "%(cycle)s安全生产诚信评估申请的提交截止日期为%(date)s。"
            "请登录安全生产诚信联动平台，完成自查自评并提交评估申请。"
        )
        link = reverse("assessments:application_mine")
    users = list(User.objects.filter(role=Role.ENTERPRISE, is_active=True, unit__in=units))
    notify(users, subject % values, body % values, link=link)
    return len(users)
