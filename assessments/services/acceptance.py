"""Acceptance (受理) by the bureau: who handles an application, return for correction, accept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Application, Status
from assessments.services.receipts import allocate_receipt_number
from assessments.services.service_ratings import TransactionKind, offer_service_rating
from assessments.workflow import advance
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused

# The standard reasons for a return (退回补正); the clerk adds free text for the details.
RETURN_REASONS = [
    ("evidence_missing", gettext_lazy("证明材料不全")),
    ("evidence_unreadable", gettext_lazy("证明材料不清晰或无法打开")),
    ("score_unsupported", gettext_lazy("自评分与证明材料不符")),
    ("report_incomplete", gettext_lazy("自查报告内容不完整")),
    ("veto_undeclared", gettext_lazy("未如实申报否决项")),
    ("unit_info_mismatch", gettext_lazy("单位信息与登记信息不一致")),
    ("other", gettext_lazy("其他（见说明）")),
]
RETURN_REASON_LABELS = dict(RETURN_REASONS)


def _enterprise_users(application: Application) -> list[User]:
    return list(application.unit.users.filter(role=Role.ENTERPRISE, is_active=True))


def _link(application: Application) -> str:
    return reverse("assessments:application_detail", args=[application.pk])


def set_handler(
    *, application: Application, actor, handler: User | None, expected_handler_id: int | None
) -> Application:
    """Take, assign to a colleague, or put back (handler=None). A stale form is refused."""
    if handler is not None and handler.role != Role.BUREAU:
        raise ValidationError(_("只能指派给市安全生产监管局的工作人员。"))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != Status.SUBMITTED:
            raise Refused(
                _("该申报当前状态为“%(status)s”，无需分配经办人。")
                % {"status": locked.get_status_display()}
            )
        if locked.handler_id != expected_handler_id:
            raise Refused(
                _("经办人已变更为%(handler)s，本次操作未执行，请刷新页面。")
                % {"handler": locked.handler or _("（无）")}
            )
        locked.handler = handler
        locked.save(update_fields=["handler", "updated_at"])
        if handler is not None and handler != actor:
            notify(
                [handler],
                _("%(actor)s 将 %(unit)s 的评估申请交给您受理")
                % {"actor": actor, "unit": locked.unit},
                link=_link(locked),
            )
    return locked


def _take_if_unassigned(actor):
    def before_save(locked: Application) -> None:
        if locked.handler_id not in (None, actor.pk):
            raise Refused(
                _("该申报由%(handler)s经办，请先由其放回待分配队列或转交给您。")
                % {"handler": locked.handler}
            )
        locked.handler = actor

    return before_save


def return_for_correction(
    *, application: Application, actor, reason_codes: list[str], reason: str, expected_status: str
) -> Application:
    take = _take_if_unassigned(actor)
    returned = advance(
        application=application,
        actor=actor,
        name="return_for_correction",
        reason=reason,
        reason_codes=reason_codes,
        expected_status=expected_status,
        before_save=take,
    )
    listed = "、".join(str(RETURN_REASON_LABELS[code]) for code in reason_codes)
    notify(
        _enterprise_users(returned),
        _("您的评估申请被退回补正"),
        _("退回原因：%(reasons)s。%(text)s 请修改后重新提交。")
        % {"reasons": listed, "text": reason},
        link=_link(returned),
    )
    return returned


def accept(*, application: Application, actor, expected_status: str) -> Application:
    take = _take_if_unassigned(actor)

    def number_receipt(locked: Application) -> None:
        take(locked)
        locked.receipt_number = allocate_receipt_number(locked.cycle_id)
        locked.accepted_at = timezone.now()

    accepted = advance(
        application=application,
        actor=actor,
        name="accept",
        expected_status=expected_status,
        before_save=number_receipt,
    )
    notify(
        _enterprise_users(accepted),
        _("您的评估申请已受理，受理回执编号 %(number)s") % {"number": accepted.receipt_number},
        _("请在申报页面下载《受理回执单》。下一步由市安全生产监管局组织专家评估。"),
        link=_link(accepted),
    )
    offer_service_rating(
        unit=accepted.unit,
        kind=TransactionKind.RECEIPT,
        obj=accepted,
        reference=accepted.receipt_number,
    )
    return accepted
