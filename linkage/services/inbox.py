"""What a department does with its notices: acknowledge, record measures; and chasing."""

import datetime
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.models import Role, User
from portal.notifications import notify

from ..models import DepartmentLink, MeasureTaken, Notice
from ..models.notices import OUTSIDE_LIST


def acknowledge(*, user: User, notice_ids: list[int]) -> int:
    """Acknowledge the user's own department's notices; others' ids are silently ignored."""
    now = timezone.now()
    with transaction.atomic():
        unread = list(
            Notice.objects.for_department(user.department_id)
            .select_for_update(of=("self",))
            .filter(pk__in=notice_ids, acknowledged_at__isnull=True)
            .values_list("pk", "department__short_name", "unit__name")
        )
        Notice.objects.filter(pk__in=[pk for pk, _d, _u in unread]).update(
            acknowledged_at=now, acknowledged_by=user
        )
        change = {"acknowledged_at": [None, now], "acknowledged_by": [None, user]}
        return audit.record(
            Notice,
            [(pk, f"{short}: {unit}", change) for pk, short, unit in unread],
            audit.Action.UPDATE,
            actor=user,
        )


def record_measure(
    *, user: User, notice: Notice, kind: str, note: str, taken_on: datetime.date
) -> MeasureTaken:
    """Only a kind of measure the notice lists may be recorded (国办发〔2020〕49号: no
    measure outside the list, none heavier)."""
    if kind not in notice.allowed_kinds():
        raise ValidationError({"kind": OUTSIDE_LIST})
    with transaction.atomic():
        # Recording a measure implies the notice was read.
        if notice.acknowledged_at is None:
            acknowledge(user=user, notice_ids=[notice.pk])
        return MeasureTaken.objects.create(
            notice=notice, kind=kind, note=note, taken_on=taken_on, recorded_by=user
        )


def send_ack_reminders(now: datetime.datetime | None = None) -> int:
    """Chase notices not acknowledged within the department's deadline, at most once a day."""
    now = now or timezone.now()
    reminded = 0
    for link in DepartmentLink.objects.select_related("department").filter(is_enabled=True):
        overdue = Notice.objects.for_department(link.department_id).filter(
            Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - timedelta(days=1)),
            acknowledged_at__isnull=True,
            delivered_at__lt=now - timedelta(days=link.ack_deadline_days),
        )
        with transaction.atomic():
            count = overdue.update(reminded_at=now)
            if not count:
                continue
            notify(
                User.objects.filter(role=Role.DEPARTMENT, department_id=link.department_id),
                _("有 %(n)d 条联动通报超过 %(days)d 天未签收")
                % {"n": count, "days": link.ack_deadline_days},
                _("请尽快签收并记录采取的措施。"),
                reverse("linkage:inbox") + "?acknowledged=no",
            )
        reminded += count
    return reminded
