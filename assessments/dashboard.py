"""Dashboard sections for cycles, pledges, self-assessment, acceptance and 好差评."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Entry, Section
from portal.models import Role

from . import progress
from .models import Application, Cycle, Kind, Pledge, ServiceRating, Status
from .next_steps import describe
from .selectors import pledges_for


def _enterprise(user, cycle: Cycle) -> list[Section]:
    pledge = Pledge.objects.filter(cycle=cycle, unit_id=user.unit_id).first()
    application = Application.objects.filter(
        cycle=cycle, unit_id=user.unit_id, kind=Kind.ANNUAL
    ).first()
    entries = []
    if pledge is None:
        entries.append(
            Entry(
                _("签署本年度安全生产诚信建设承诺书"),
                reverse("assessments:pledge_sign"),
                _("截止 %(date)s") % {"date": cycle.pledge_deadline},
            )
        )
    else:
        entries.append(
            Entry(
                _("承诺书已签署"),
                reverse("assessments:pledge_detail", args=[pledge.pk]),
                str(pledge.signed_on),
            )
        )
        entries.append(
            Entry(
                _("诚信建设实施记录（工作方案、分月考核）"),
                reverse("assessments:implementation_mine"),
            )
        )
        if application is None:
            entries.append(
                Entry(
                    _("开始自查自评"),
                    reverse("assessments:application_mine"),
                    _("评估申请截止 %(date)s") % {"date": cycle.application_deadline},
                )
            )
        else:
            entries.append(
                Entry(
                    _("评估申请：%(status)s") % {"status": application.get_status_display()},
                    reverse("assessments:application_detail", args=[application.pk]),
                    describe(application).next,
                )
            )
    return [
        Section(
            title=_("%(cycle)s评估进度和截止日期") % {"cycle": cycle},
            template="assessments/includes/cycle_progress.html",
            context={
                "stages": progress.stages(cycle, pledge, application),
                "deadlines": progress.deadlines(cycle, pledge, application),
            },
            wide=True,
        ),
        Section(title=_("%(cycle)s安全生产诚信评估") % {"cycle": cycle}, entries=entries),
    ]


def _pledge_section(user, cycle: Cycle, title: str) -> Section:
    pledges = pledges_for(user).filter(cycle=cycle).order_by("-submitted_at")
    return Section(
        title=title,
        entries=[
            Entry(
                pledge.unit.name,
                reverse("assessments:pledge_detail", args=[pledge.pk]),
                str(pledge.signed_on),
            )
            for pledge in pledges[:8]
        ],
        count=pledges.count(),
        more_url=reverse("assessments:pledge_list"),
        empty_text=_("暂无承诺书"),
    )


def _bureau(user, cycle: Cycle) -> list[Section]:
    waiting = Application.objects.filter(cycle=cycle, status=Status.SUBMITTED).select_related(
        "unit", "handler"
    )
    mine = waiting.filter(handler=user).order_by("submitted_at")
    unassigned = waiting.filter(handler__isnull=True).order_by("submitted_at")
    queue_url = reverse("assessments:queue")
    return [
        Section(
            title=_("待受理的评估申请（未分配）"),
            entries=[
                Entry(
                    application.unit.name,
                    reverse("assessments:application_detail", args=[application.pk]),
                    application.submitted_at.strftime("%Y-%m-%d")
                    if application.submitted_at
                    else "",
                )
                for application in unassigned[:8]
            ],
            count=unassigned.count(),
            more_url=queue_url + "?handler=unassigned",
            empty_text=_("没有未分配的申请"),
        ),
        Section(
            title=_("我经办的待受理申请"),
            entries=[
                Entry(
                    application.unit.name,
                    reverse("assessments:application_detail", args=[application.pk]),
                )
                for application in mine[:8]
            ],
            count=mine.count(),
            more_url=queue_url + "?handler=mine",
        ),
        _pledge_section(user, cycle, _("新收到的承诺书")),
    ]


def sections(user) -> list[Section]:
    cycle = Cycle.objects.current()
    if cycle is None:
        if user.role == Role.BUREAU:
            return [
                Section(
                    title=_("考核周期"),
                    entries=[Entry(_("开启本年度考核周期"), reverse("assessments:cycle_open"))],
                )
            ]
        return []
    if user.role == Role.ENTERPRISE and user.unit_id:
        return _enterprise(user, cycle)
    if user.role == Role.BUREAU:
        return _bureau(user, cycle)
    if user.role == Role.TOWNSHIP:
        return [
            _pledge_section(user, cycle, _("辖区单位的承诺书")),
            Section(
                title=_("辖区单位诚信建设实施记录"),
                entries=[
                    Entry(_("查看工作方案和分月考核"), reverse("assessments:implementation_list"))
                ],
            ),
        ]
    if user.role == Role.SUPERVISOR:
        return [_pledge_section(user, cycle, _("本行业单位的承诺书"))]
    return []


def service_rating_sections(user) -> list[Section]:
    """好差评: services awaiting the enterprise's rating; the bureau's tickets."""
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
