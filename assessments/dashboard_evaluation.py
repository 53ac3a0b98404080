"""Dashboard sections of expert evaluation and the grade review."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Application, Status
from assessments.selectors import assignments_for
from portal.dashboard import Entry, Section
from portal.models import Role

SHOWN = 8


def sections(user) -> list[Section]:
    if user.role == Role.EXPERT:
        return [_expert_section(user)]
    if user.role == Role.BUREAU:
        return _bureau_sections()
    return []


def _expert_section(user) -> Section:
    open_assignments = assignments_for(user).live()
    return Section(
        title=_("待评分的评估任务"),
        entries=[
            Entry(
                assignment.application.unit.name,
                reverse("evaluation:assignment", args=[assignment.pk]),
                _("评分中") if assignment.no_conflict_declared_at else _("待声明利益冲突"),
            )
            for assignment in open_assignments.order_by("assigned_at")[:SHOWN]
        ],
        count=open_assignments.count(),
        more_url=reverse("evaluation:worklist"),
        empty_text=_("暂无待评分的任务。"),
    )


def _bureau_sections() -> list[Section]:
    applications = Application.objects.select_related("unit")
    # Accepted ones, and those whose experts all withdrew for a conflict.
    awaiting_experts = applications.filter(
        Q(status=Status.ACCEPTED) | Q(status=Status.UNDER_EVALUATION, assignments=None)
    ).order_by("accepted_at")
    awaiting_grade = applications.filter(status=Status.EVALUATED).order_by("evaluated_at")
    flagged = awaiting_grade.filter(Q(gap_flagged=True) | Q(veto_missed_flagged=True))
    review_list = reverse("evaluation:review_list")
    return [
        Section(
            title=_("已受理、待指派专家"),
            entries=[
                Entry(
                    app.unit.name,
                    reverse("evaluation:assign", args=[app.pk]),
                    app.get_status_display(),
                )
                for app in awaiting_experts[:SHOWN]
            ],
            count=awaiting_experts.count(),
            more_url=reverse("evaluation:board"),
        ),
        Section(
            title=_("评估完成、待等级考评"),
            entries=[
                Entry(
                    app.unit.name,
                    reverse("evaluation:review", args=[app.pk]),
                    _("初评 %(score)s 分") % {"score": app.preliminary_score},
                )
                for app in awaiting_grade[:SHOWN]
            ],
            count=awaiting_grade.count(),
            more_url=review_list,
        ),
        Section(
            title=_("自评差距过大或漏报否决项"),
            entries=[
                Entry(
                    app.unit.name,
                    reverse("evaluation:review", args=[app.pk]),
                    "；".join(
                        label
                        for label, flag in (
                            (_("自评与初评差距过大"), app.gap_flagged),
                            (_("自查漏报否决项"), app.veto_missed_flagged),
                        )
                        if flag
                    ),
                )
                for app in flagged[:SHOWN]
            ],
            count=flagged.count(),
            more_url=review_list + "?flag=any",
            empty_text=_("暂无预警。"),
        ),
    ]
