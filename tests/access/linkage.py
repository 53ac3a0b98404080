"""Linkage URLs: department inbox, bureau administration, classified supervision, the API."""

import datetime
from types import SimpleNamespace

from .rules import EVERYONE, INSIDERS, Rule

BUREAU = frozenset({"bureau"})
DEPARTMENT = frozenset({"department"})
SECURITY_ADMIN = frozenset({"secadmin"})
UNIT_READERS = frozenset({"bureau", "township", "supervisor", "government"})


def objects(world) -> SimpleNamespace:
    """Built once per world: world.unit published without a star (2024), its notices delivered,
    a webhook delivery, a token, an inspection with a hazard and a rectification order."""
    if getattr(world, "linkage", None) is None:
        from linkage.models import (
            Hazard,
            Inspection,
            Notice,
            RectificationOrder,
            WebhookDelivery,
        )
        from linkage.services.tokens import issue_token
        from tests.publication_support import publish_results
        from units.models import Department

        bureau = world.users["bureau"]
        # A year of its own: other stages build applications of world.unit in other cycles.
        rating = publish_results([(world.unit, 0)], year=2024)[0]
        Notice.objects.update(delivered_at=datetime.datetime.now(datetime.UTC))
        caizheng = Department.objects.get(short_name="财政")
        notice = Notice.objects.get(rating=rating, department=caizheng)
        delivery = WebhookDelivery.objects.create(notice=notice, status="failed")
        token, _raw = issue_token(department=caizheng, actor=bureau, label="审批系统")
        inspection = Inspection.objects.create(
            unit=world.unit, kind="key", planned_on=datetime.date(2026, 1, 5), planned_by=bureau
        )
        hazard = Hazard.objects.create(
            inspection=inspection,
            unit=world.unit,
            description="配电箱未接地",
            deadline=datetime.date(2026, 2, 1),
        )
        order = RectificationOrder.objects.create(
            unit=world.unit,
            rating=rating,
            reason="key_monitoring",
            requirements="全面整改",
            issued_on=datetime.date(2026, 1, 10),
            deadline=datetime.date(2026, 4, 10),
        )
        world.linkage = SimpleNamespace(
            notice=notice,
            department=caizheng,
            delivery=delivery,
            token=token,
            inspection=inspection,
            hazard=hazard,
            order=order,
        )
    return world.linkage


def _pk(name):
    return lambda w: {"pk": getattr(objects(w), name).pk}


ACCESS = {
    "linkage:inbox": Rule(DEPARTMENT | {"department_other"}),
    "linkage:acknowledge": Rule(DEPARTMENT | {"department_other"}, method="post"),
    # Another department's notice is a 404; the bureau may read every notice.
    "linkage:notice_detail": Rule(DEPARTMENT | BUREAU, kwargs=_pk("notice")),
    "linkage:notice_measure": Rule(DEPARTMENT, kwargs=_pk("notice"), method="post"),
    "linkage:departments": Rule(BUREAU | SECURITY_ADMIN),
    "linkage:department_detail": Rule(BUREAU | SECURITY_ADMIN, kwargs=_pk("department")),
    "linkage:department_settings": Rule(BUREAU, kwargs=_pk("department"), method="post"),
    # Endpoints and tokens belong to the security administrator alone.
    "linkage:department_webhook": Rule(SECURITY_ADMIN, kwargs=_pk("department"), method="post"),
    "linkage:token_create": Rule(SECURITY_ADMIN, kwargs=_pk("department"), method="post"),
    "linkage:token_revoke": Rule(SECURITY_ADMIN, kwargs=_pk("token"), method="post"),
    "linkage:deliveries": Rule(BUREAU),
    "linkage:delivery_detail": Rule(BUREAU, kwargs=_pk("delivery")),
    "linkage:delivery_resend": Rule(BUREAU, kwargs=_pk("delivery"), method="post"),
    "linkage:policy": Rule(BUREAU),
    "linkage:policy_edit": Rule(BUREAU),
    "linkage:api_log": Rule(BUREAU),
    "linkage:reports": Rule(BUREAU),
    "linkage:supervision": Rule(INSIDERS),
    "linkage:supervision_unit": Rule(UNIT_READERS, kwargs=lambda w: {"pk": w.unit.pk}),
    "linkage:order_issue": Rule(BUREAU, kwargs=lambda w: {"pk": w.unit.pk}, method="post"),
    "linkage:lift": Rule(BUREAU, kwargs=lambda w: {"pk": w.unit.pk}, method="post"),
    "linkage:inspection_plan": Rule(BUREAU),
    "linkage:inspection_record": Rule(BUREAU, kwargs=_pk("inspection")),
    "linkage:hazard_rectified": Rule(
        frozenset({"bureau", "township"}), kwargs=_pk("hazard"), method="post"
    ),
    "linkage:order_outcome": Rule(BUREAU, kwargs=_pk("order"), method="post"),
    # Machine-to-machine: no session role applies; without a bearer token every caller gets 401.
    "units_api:unit_rating": Rule(EVERYONE, kwargs=lambda w: {"credit_code": w.unit.credit_code}),
}
