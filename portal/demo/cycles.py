"""The 2026 cycle open with the default standard, in its evaluation phase: the demo enterprise
has signed its pledge and left a half-filled draft; a few other units wait in the bureau's
acceptance queue (one of them handled by bureau2)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from assessments.models import Application, Cycle, Pledge, ScoringStandard, SelfScore, Status
from assessments.services import self_assessment
from portal.models import Role, User
from units.credit_code import make_credit_code
from units.models import Unit

from .units import demo_enterprise_unit

QUEUE_SERIALS = (21, 37, 52, 68, 85)


def _cycle() -> Cycle:
    today = timezone.localdate()
    cycle = Cycle.objects.filter(year=today.year).first()
    if cycle is not None:
        return cycle
    return Cycle.objects.create(
        year=today.year,
        name=f"{today.year}年度",
        standard=ScoringStandard.objects.order_by("created_at").first(),
        phase=Cycle.Phase.EVALUATION,
        is_open=not Cycle.objects.filter(is_open=True).exists(),
        pledge_deadline=today + datetime.timedelta(days=14),
        application_deadline=today + datetime.timedelta(days=30),
        comment_start=today + datetime.timedelta(days=45),
        comment_end=today + datetime.timedelta(days=55),
        opened_by=User.objects.filter(username="bureau").first(),
    )


def _pledge(cycle: Cycle, unit: Unit, user: User) -> None:
    signed_at = timezone.now() - datetime.timedelta(days=20)
    pledge, created = Pledge.objects.get_or_create(
        cycle=cycle,
        unit=unit,
        defaults={
            "text": cycle.pledge_text,
            "signatory": unit.legal_representative,
            "signatory_title": "总经理",
            "signed_on": timezone.localdate(signed_at),
            "submitted_by": user,
        },
    )
    if created:  # signed online 20 days ago: the record's time and the signing date agree
        Pledge.objects.filter(pk=pledge.pk).update(submitted_at=signed_at)


def _enterprise_user(unit: Unit, username: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": Role.ENTERPRISE, "unit": unit, "display_name": unit.contact_name},
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _fill(application: Application, items, fraction: Decimal) -> None:
    for item in items:
        SelfScore.objects.get_or_create(
            application=application,
            item=item,
            defaults={
                "score": (item.max_points * fraction).quantize(Decimal("0.1")),
                "notes": "已建立并落实，详见附件台账。",
            },
        )


def run(out) -> None:
    cycle = _cycle()
    items = list(cycle.standard.items())
    unit = demo_enterprise_unit()
    enterprise = User.objects.get(username="enterprise")
    _pledge(cycle, unit, enterprise)
    draft, _ = Application.objects.get_or_create(cycle=cycle, unit=unit)
    if draft.status == Status.DRAFT and not draft.self_scores.exists():
        _fill(draft, [item for item in items if item.category.code in ("1", "2")], Decimal("0.8"))
    queued = 0
    for index, serial in enumerate(QUEUE_SERIALS):
        other = Unit.objects.get(credit_code=make_credit_code(serial))
        user = _enterprise_user(other, f"enterprise_{serial}")
        _pledge(cycle, other, user)
        application, _ = Application.objects.get_or_create(cycle=cycle, unit=other)
        if application.status != Status.DRAFT:
            continue
        _fill(application, items, Decimal("0.95") - Decimal("0.05") * index)
        if not application.self_report:
            Application.objects.filter(pk=application.pk).update(
                self_report="本单位对照评分标准逐项开展自查，发现问题已整改完毕。"
            )
        application = Application.objects.get(pk=application.pk)
        self_assessment.submit(application=application, actor=user, expected_status=Status.DRAFT)
        queued += 1
    colleague = User.objects.filter(username="bureau2").first()
    if colleague is not None:
        Application.objects.filter(
            cycle=cycle,
            status=Status.SUBMITTED,
            handler__isnull=True,
            unit__credit_code=make_credit_code(QUEUE_SERIALS[0]),
        ).update(handler=colleague)
    out(
        f"考核周期：{cycle.name}（{cycle.get_phase_display()}），演示企业已签承诺书、自评草稿；受理队列新增 {queued} 件 ✓"
    )
