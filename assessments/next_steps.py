"""What happens next and who has the application now, in plain words for the enterprise."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.models import Application, Status


@dataclass
class NextStep:
    holder: str  # who has it now
    next: str  # what happens next / what the reader should do


def describe(application: Application) -> NextStep:
    status = application.status
    bureau = _("市安全生产监管局")
    if status == Status.DRAFT:
        return NextStep(
            _("本单位（尚未提交）"),
            _("请逐项填写自评分、上传证明材料并撰写自查报告，全部完成后点击“提交评估申请”。"),
        )
    if status == Status.RETURNED:
        return NextStep(
            _("本单位（退回补正）"),
            _("市安全生产监管局已退回，请按下方退回原因修改后重新提交。"),
        )
    if status == Status.REFUSED:
        return NextStep(_("已办结"), _("重新评级申请不予受理，理由见重新评级申请页面。"))
    if status == Status.SUBMITTED and application.is_rerating:
        return NextStep(bureau, _("市安全生产监管局正在审核整改材料，将决定受理或不予受理。"))
    if status == Status.SUBMITTED:
        holder = (
            _("%(bureau)s · 经办人 %(name)s") % {"bureau": bureau, "name": application.handler}
            if application.handler_id
            else _("%(bureau)s（待分配经办人）") % {"bureau": bureau}
        )
        return NextStep(
            holder,
            _("市安全生产监管局正在审核材料，将受理或退回补正。受理前您可以撤回修改。"),
        )
    if status == Status.ACCEPTED:
        return NextStep(
            bureau,
            _("已受理，请下载《受理回执单》。市安全生产监管局将指派专家或中介机构进行评估。"),
        )
    if status == Status.UNDER_EVALUATION:
        return NextStep(_("评估专家"), _("专家正在评估，可能联系您现场核查，请配合。"))
    if status in (Status.EVALUATED, Status.GRADED, Status.GOVERNMENT_RETURNED):
        return NextStep(bureau, _("市安全生产监管局正在进行等级考评。"))
    if status == Status.IN_PUBLICITY:
        return NextStep(bureau, _("拟定等级正在向社会征询意见，您可以查看意见并答复或提出异议。"))
    if status == Status.SUBMITTED_TO_GOVERNMENT:
        return NextStep(_("市人民政府"), _("评级结果已报市人民政府确认。"))
    if status == Status.CONFIRMED:
        return NextStep(bureau, _("市人民政府已确认，等待公布结果。"))
    if status == Status.PUBLISHED:
        return NextStep(_("已办结"), _("结果已公布；星级单位可下载证书。"))
    return NextStep(_("已办结"), _("评级已撤销。"))
