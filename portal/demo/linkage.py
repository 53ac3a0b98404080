"""Linkage and supervision on top of the demo ratings the publications step published.

Delivered notices, some acknowledged, some with measures; one failing webhook; supervision
tiers; inspections with an overdue hazard; a rectification order; and a demo API token for
财政, derived from a fixed string (a local demo only, never production).
"""

import datetime
import hashlib

from django.apps import apps
from django.utils import timezone

from linkage.defaults import load_default_policy
from linkage.models import (
    ApiToken,
    DeliveryAttempt,
    Hazard,
    Inspection,
    Notice,
    RectificationOrder,
    TierRecord,
    WebhookDelivery,
)
from linkage.services import delivery, inbox, supervision
from linkage.services.tokens import digest, issue_token, link_for
from linkage.webhooks import generate_secret
from portal.models import Role, User
from ratings.models import Rating
from units.credit_code import make_credit_code
from units.models import Department, Unit

DEMO_TOKEN = "lkt_demo_" + hashlib.sha256(b"xinzheng-demo-caizheng").hexdigest()[:32]


def run(out) -> None:
    load_default_policy(apps)
    bureau = User.objects.filter(role=Role.BUREAU).order_by("pk").first()
    # The notices were written when the publications step published through the real service.
    ratings = list(Rating.objects.in_force().select_related("unit"))
    unrated = [r for r in ratings if not TierRecord.objects.filter(unit_id=r.unit_id).exists()]
    supervision.set_tiers_from_ratings(unrated)
    supervision.detect_two_years_without_star()
    delivery.deliver_inbox(
        list(Notice.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True))
    )

    caizheng = Department.objects.get(short_name="财政")
    clerk = User.objects.filter(role=Role.DEPARTMENT, department=caizheng).first()
    notices = list(Notice.objects.for_department(caizheng.pk).order_by("pk"))
    if clerk and not Notice.objects.filter(acknowledged_at__isnull=False).exists():
        inbox.acknowledge(
            user=clerk, notice_ids=[n.pk for n in notices[: max(1, len(notices) // 2)]]
        )
        today = timezone.localdate()
        for notice in notices[:3]:
            granted = notice.result in ("4", "5")
            inbox.record_measure(
                user=clerk,
                notice=notice,
                kind="granted"
                if granted
                else ("restricted" if notice.result == "none" else "other"),
                note="安排安全生产专项资金贴息" if granted else "暂停其财政专项资金申报",
                taken_on=today,
            )

    _failing_webhook()
    _inspections(bureau)
    _order(bureau)
    if not ApiToken.objects.filter(token_hash=digest(DEMO_TOKEN)).exists():
        issue_token(department=caizheng, actor=bureau, label="演示审批系统", raw=DEMO_TOKEN)

    out(
        "联动通报：%d 条已送达，%d 条已签收；监管类别 %d 个单位 ✓"
        % (
            Notice.objects.delivered().count(),
            Notice.objects.filter(acknowledged_at__isnull=False).count(),
            TierRecord.objects.values("unit").distinct().count(),
        )
    )
    out(f"  财政局演示接口令牌（仅限本地演示）：{DEMO_TOKEN}")
    sample = ratings[0].unit.credit_code if ratings else make_credit_code(1)
    out(
        f'  curl -H "Authorization: Bearer {DEMO_TOKEN}" '
        f"http://127.0.0.1:8000/api/v1/units/{sample}/rating"
    )


def _failing_webhook() -> None:
    """金融 has an endpoint nobody answers: one delivery failed after its last try."""
    jinrong = Department.objects.get(short_name="金融")
    link = link_for(jinrong)
    if not link.webhook_url:
        link.webhook_url = "http://127.0.0.1:9/hooks/integrity"
        link.webhook_secret = generate_secret()
        link.save()
    notice = Notice.objects.filter(department=jinrong).order_by("pk").first()
    if notice is None or WebhookDelivery.objects.filter(notice=notice).exists():
        return
    hook = WebhookDelivery.objects.create(
        notice=notice,
        status=WebhookDelivery.Status.FAILED,
        attempts=6,
        last_error="ConnectionError: [Errno 111] Connection refused",
    )
    DeliveryAttempt.objects.bulk_create(
        DeliveryAttempt(
            delivery=hook, number=n, url=link.webhook_url, error=hook.last_error, duration_ms=2
        )
        for n in range(1, 7)
    )


def _inspections(bureau) -> None:
    key_units = Unit.objects.filter(tier_records__tier="key").distinct()[:2]
    today = timezone.localdate()
    for offset, unit in enumerate(key_units):
        if Inspection.objects.filter(unit=unit).exists():
            continue
        done_on = today - datetime.timedelta(days=30 + offset)
        inspection = Inspection.objects.create(
            unit=unit,
            kind="key",
            planned_on=done_on,
            inspected_on=done_on,
            inspector="市安监局督查组",
            findings="重点督查：现场发现事故隐患，已下达整改通知。",
            planned_by=bureau,
        )
        Hazard.objects.create(
            inspection=inspection,
            unit=unit,
            description="危化品仓库未设置可燃气体报警装置",
            severity="major",
            deadline=today - datetime.timedelta(days=10),
        )
        Hazard.objects.create(
            inspection=inspection,
            unit=unit,
            description="安全出口指示灯损坏",
            deadline=today + datetime.timedelta(days=10),
        )
        Inspection.objects.create(
            unit=unit, kind="key", planned_on=today + datetime.timedelta(days=7), planned_by=bureau
        )


def _order(bureau) -> None:
    if RectificationOrder.objects.exists():
        return
    rating = Rating.objects.in_force().filter(star=0).first()
    if rating is not None:
        supervision.issue_order(
            unit=rating.unit,
            actor=bureau,
            requirements="全面排查治理事故隐患，整改完成后申请验收。",
            deadline=timezone.localdate() + datetime.timedelta(days=60),
        )
