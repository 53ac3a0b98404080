from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Entry, Section
from portal.models import Role
from portal.punctuation import punct
from units.models import Unit

from .models import ApiToken, Hazard, WebhookDelivery
from .selectors import inbox_for, orders_due


def sections(user) -> list[Section]:
    if user.role == Role.DEPARTMENT:
        return [_department(user)]
    if user.role == Role.TOWNSHIP:
        return [_hazards(Hazard.objects.filter(unit__in=Unit.objects.visible_to(user)))]
    if user.role == Role.BUREAU:
        return [_failed_deliveries(), _hazards(Hazard.objects.all()), _orders_due()]
    if user.role == Role.SECURITY_ADMIN:
        return [_tokens()]
    return []


def _tokens() -> Section:
    """The security administrator looks after the departments' API tokens and webhooks."""
    return Section(
        title=_("接口令牌与 Webhook"),
        entries=[
            Entry(_("有效的接口令牌"), meta=str(ApiToken.objects.filter(revoked_at=None).count()))
        ],
        more_url=reverse("linkage:departments"),
    )


def _department(user) -> Section:
    pending = inbox_for(user).filter(acknowledged_at__isnull=True)
    return Section(
        title=_("待签收的联动通报"),
        entries=[
            Entry(
                f"{notice.unit.name} · {notice.get_result_display()}",
                reverse("linkage:notice_detail", args=[notice.pk]),
                notice.get_event_display(),
            )
            for notice in pending[:8]
        ],
        count=pending.count(),
        more_url=reverse("linkage:inbox") + "?acknowledged=no",
        empty_text=_("没有待签收的通报。"),
    )


def _hazards(hazards) -> Section:
    overdue = hazards.overdue(timezone.localdate()).select_related("unit")
    return Section(
        title=_("逾期未整改的隐患"),
        entries=[
            Entry(
                f"{hazard.unit.name}{punct('：')}{hazard.description}",
                reverse("linkage:supervision_unit", args=[hazard.unit_id]),
                _("整改期限 %(d)s") % {"d": hazard.deadline},
            )
            for hazard in overdue[:8]
        ],
        count=overdue.count(),
        more_url=reverse("linkage:supervision"),
        empty_text=_("没有逾期隐患。"),
    )


def _failed_deliveries() -> Section:
    failed = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED).select_related(
        "notice__department", "notice__unit"
    )
    return Section(
        title=_("推送失败的 Webhook"),
        entries=[
            Entry(
                f"{d.notice.department.short_name} · {d.notice.unit.name}",
                reverse("linkage:delivery_detail", args=[d.pk]),
                _("%(problem)s；通报已在平台内送达，可重新推送")
                % {"problem": d.failure_in_words()},
            )
            for d in failed[:8]
        ],
        count=failed.count(),
        more_url=reverse("linkage:deliveries") + "?status=failed",
        empty_text=_("没有失败的推送。"),
    )


def _orders_due() -> Section:
    due = orders_due()
    return Section(
        title=_("到期待验收的限期整改"),
        entries=[
            Entry(
                order.unit.name,
                reverse("linkage:supervision_unit", args=[order.unit_id]),
                _("整改期限 %(d)s") % {"d": order.deadline},
            )
            for order in due[:8]
        ],
        count=due.count(),
        more_url=reverse("linkage:supervision") + "?tier=key",
        empty_text=_("没有到期的整改指令。"),
    )
