"""What awaits each role in the ratings stage (portal.dashboard assembles the sections)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Application, Cycle, Kind, Status
from portal.dashboard import Entry, Section
from portal.models import Role

from .models import (
    CertificateJob,
    Comment,
    Listing,
    Objection,
    PublicityItem,
    Rating,
    RatingReply,
    RepairRequest,
    SubmissionItem,
)
from .selectors import graded_awaiting_publicity, notices_for_enterprise, submissions_for
from .services.objections import may_decide


def _bureau(user) -> list[Section]:
    cycle = Cycle.objects.current()
    graded = graded_awaiting_publicity(cycle).count()
    # Only items with something to answer: an item nobody commented on is not work.
    unanswered = (
        PublicityItem.objects.filter(application__status=Status.IN_PUBLICITY)
        .annotate(n=Count("comments", filter=Q(comments__answered_at__isnull=True)))
        .filter(n__gt=0)
        .select_related("application__unit")
        .order_by("batch__ends_at")
    )
    closed_ready = Application.objects.filter(
        status=Status.IN_PUBLICITY, publicity_items__batch__ends_at__lte=timezone.now()
    ).exclude(
        pk__in=Comment.objects.filter(answered_at__isnull=True).values("item__application_id")
    )
    confirmed = Application.objects.filter(status=Status.CONFIRMED).count()
    returned = Application.objects.filter(status=Status.GOVERNMENT_RETURNED).select_related("unit")
    jobs = CertificateJob.objects.filter(finished_at__isnull=True).select_related(
        "publication__cycle"
    )
    reratings = Application.objects.filter(kind=Kind.RERATING, status=Status.SUBMITTED).count()
    work = []
    if reratings:
        work.append(
            Entry(
                _("%(n)d 个整改后重新评级申请待受理") % {"n": reratings},
                reverse("ratings:rerating_list"),
            )
        )
    if graded:
        work.append(
            Entry(
                _("%(n)d 个单位已拟定等级，待开启公示") % {"n": graded},
                reverse("ratings:batch_create"),
            )
        )
    if closed_ready.exists():
        work.append(
            Entry(
                _("%(n)d 个单位公示结束、意见已答复，待报市政府确认")
                % {"n": closed_ready.distinct().count()},
                reverse("ratings:batch_list"),
            )
        )
    for application in returned[:5]:
        work.append(
            Entry(
                _("市政府退回：%(unit)s") % {"unit": application.unit.name},
                reverse("ratings:regrade", args=[application.pk]),
            )
        )
    if confirmed:
        work.append(
            Entry(
                _("%(n)d 个结果经市政府确认，待公布") % {"n": confirmed},
                reverse("ratings:publication_list"),
            )
        )
    waiting = RatingReply.objects.pending()
    if waiting.exists():
        overdue = waiting.filter(decide_by__lt=timezone.localdate()).count()
        work.append(
            Entry(
                _("%(n)d 条企业回应待审核") % {"n": waiting.count()},
                reverse("ratings:reply_list"),
                _("%(n)d 条已逾期") % {"n": overdue} if overdue else "",
            )
        )
    today = timezone.localdate()
    for repair in (
        RepairRequest.objects.filter(status=RepairRequest.Status.PENDING)
        .select_related("unit")
        .order_by("due_on")[:8]
    ):
        overdue = repair.is_overdue(today)
        work.append(
            Entry(
                _("信用修复申请：%(unit)s") % {"unit": repair.unit.name},
                reverse("ratings:repair_detail", args=[repair.pk]),
                (_("已逾期，决定期限 %(d)s") if overdue else _("决定期限 %(d)s"))
                % {"d": repair.due_on},
                urgent=overdue,
            )
        )
    for job in jobs:
        work.append(
            Entry(
                _("证书生成中：%(done)d / %(total)d") % {"done": job.done, "total": job.total},
                reverse("ratings:publication_detail", args=[job.publication_id]),
            )
        )
    return [
        _objections_to_decide(user),
        Section(
            title=_("待答复的公示意见与异议"),
            entries=[
                Entry(
                    item.application.unit.name,
                    reverse("ratings:item_detail", args=[item.pk]),
                    _("%(n)d 条未答复") % {"n": item.n},
                )
                for item in unanswered[:8]
            ],
            count=Comment.objects.filter(
                answered_at__isnull=True, item__application__status=Status.IN_PUBLICITY
            ).count(),
            more_url=reverse("ratings:batch_list"),
        ),
        Section(
            title=_("等级认定与公布"),
            entries=work,
            more_url=reverse("ratings:publication_list"),
            empty_text=_("暂无待办的公示、报送或公布事项"),
        ),
    ]


def _objections_to_decide(user) -> Section:
    pending = Objection.objects.filter(decision=Objection.Decision.PENDING).select_related(
        "application__unit"
    )
    mine = [o for o in pending.order_by("due_on", "pk")[:50] if may_decide(user, o.application)]
    return Section(
        title=_("待复核的异议"),
        entries=[
            Entry(
                objection.application.unit.name,
                reverse("ratings:objection_detail", args=[objection.pk]),
                _("复核期限 %(date)s") % {"date": objection.due_on.isoformat()},
            )
            for objection in mine[:8]
        ],
        count=len(mine),
        more_url=reverse("ratings:objection_list"),
        empty_text=_("暂无由您复核的异议"),
    )


def _enterprise_due_process(user) -> list[Section]:
    entries = [
        Entry(
            _("不利结果告知书 %(number)s：拟定%(star)s，异议截止 %(date)s")
            % {
                "number": notice.number,
                "star": notice.get_proposed_star_display(),
                "date": notice.objection_deadline.isoformat(),
            },
            reverse("ratings:notice_detail", args=[notice.pk]),
        )
        for notice in notices_for_enterprise(user)[:3]
    ] + [
        Entry(
            _("异议复核 #%(pk)s：%(decision)s")
            % {"pk": objection.pk, "decision": objection.get_decision_display()},
            reverse("ratings:objection_detail", args=[objection.pk]),
            _("复核期限 %(date)s") % {"date": objection.due_on.isoformat()},
        )
        for objection in Objection.objects.filter(application__unit_id=user.unit_id)[:3]
    ]
    if not entries:
        return []
    return [Section(title=_("告知书与异议复核"), entries=entries)]


def _government(user) -> list[Section]:
    pending = [s for s in submissions_for(user) if s.pending]
    return [
        Section(
            title=_("待确认的评定结果"),
            entries=[
                Entry(
                    submission.batch.title,
                    reverse("ratings:submission_detail", args=[submission.pk]),
                    _("%(n)d 个单位待确认") % {"n": submission.pending},
                )
                for submission in pending[:8]
            ],
            count=SubmissionItem.objects.filter(decision=SubmissionItem.Decision.PENDING).count(),
            more_url=reverse("ratings:submission_list"),
        )
    ]


def _enterprise_ratings(user) -> list[Section]:
    ratings = Rating.objects.filter(unit_id=user.unit_id).select_related("cycle", "certificate")
    if not ratings:
        return []
    today = timezone.localdate()
    listed = Listing.objects.displayed(today).filter(unit_id=user.unit_id)
    return [
        Section(
            title=_("本单位评定结果与证书"),
            entries=[
                Entry(
                    f"{rating.cycle} {rating.get_star_display()}",
                    reverse("ratings:rating_detail", args=[rating.pk]),
                    _("已撤销") if rating.is_revoked else "",
                )
                for rating in ratings[:5]
            ]
            + [
                Entry(
                    _("列入重点监管名单，公示至 %(d)s") % {"d": listing.last_displayed_on},
                    reverse("ratings:repair_mine"),
                    _("可于 %(d)s 起申请信用修复") % {"d": listing.repair_from},
                )
                for listing in listed
            ],
        )
    ]


def _enterprise(user) -> list[Section]:
    items = (
        PublicityItem.objects.filter(
            application__unit_id=user.unit_id, application__status=Status.IN_PUBLICITY
        )
        .select_related("batch")
        .annotate(n=Count("comments", filter=Q(comments__kind=Comment.Kind.PUBLIC)))
    )
    if not items:
        return _enterprise_ratings(user)
    return _enterprise_ratings(user) + [
        Section(
            title=_("公示与异议"),
            entries=[
                Entry(
                    _("拟定等级：%(star)s（%(state)s，截止 %(end)s）")
                    % {
                        "star": item.get_proposed_star_display(),
                        "state": item.batch.get_state_display(),
                        "end": timezone.localtime(item.batch.ends_at).strftime("%Y-%m-%d %H:%M"),
                    },
                    reverse("ratings:item_detail", args=[item.pk]),
                    _("%(n)d 条社会意见") % {"n": item.n},
                )
                for item in items
            ],
        )
    ]


def sections(user) -> list[Section]:
    if user.role == Role.BUREAU:
        return _bureau(user)
    if user.role == Role.GOVERNMENT:
        return _government(user)
    if user.role == Role.ENTERPRISE and user.unit_id:
        return _enterprise_due_process(user) + _enterprise(user)
    return []
