"""The audit trail records who changed what, the bureau can search and export it, and nobody
can change it — not through the application, not through the ORM."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, transaction

from assessments.models import ApplicationTransition

pytestmark = pytest.mark.django_db


def test_changes_to_a_unit_are_logged_with_the_actor(client_as, world):
    client = client_as("bureau")
    data = {
        "name": "新郑市更名后的公司",
        "credit_code": world.unit.credit_code,
        "legal_representative": "王五",
        "address": world.unit.address,
        "area": world.unit.area_id,
        "industry": world.unit.industry_id,
        "supervising_department": world.unit.supervising_department_id,
        "contact_name": "赵六",
        "contact_phone": "13600000000",
    }
    client.post(f"/units/{world.unit.pk}/edit/", data)
    entry = (
        LogEntry.objects.get_for_object(world.unit)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == world.users["bureau"]
    assert "新郑市更名后的公司" in entry.changes_str


def test_bureau_searches_and_exports_the_log(client_as, world):
    world.unit.name = "新郑市审计示例有限公司"
    world.unit.save()
    client = client_as("bureau")
    assert "新郑市审计示例有限公司" in client.get("/audit/", {"text": "审计示例"}).content.decode()
    export = client.get("/audit/export.csv", {"text": "审计示例"})
    assert export.content.startswith(b"\xef\xbb\xbf")
    assert "新郑市审计示例有限公司" in export.content.decode("utf-8-sig")


def test_audit_pages_accept_no_writes(client_as, world):
    client = client_as("bureau")
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/audit/").status_code in (403, 405)


def test_log_entries_cannot_be_edited_or_deleted(world):
    world.unit.save()
    entry = LogEntry.objects.first()
    entry.changes = {"name": ["x", "forged"]}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.all().delete()


def test_transition_history_cannot_be_rewritten_even_by_a_query(world):
    from assessments.models import Application, Cycle, ScoringStandard

    cycle = Cycle.objects.create(
        year=2026,
        name="2026年度",
        standard=ScoringStandard.objects.get(),
        pledge_deadline="2026-03-31",
        application_deadline="2026-09-30",
        comment_start="2026-11-01",
        comment_end="2026-11-10",
    )
    application = Application.objects.create(cycle=cycle, unit=world.unit)
    ApplicationTransition.objects.create(
        application=application,
        name="submit",
        source="draft",
        target="submitted",
        actor=world.users["enterprise"],
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ApplicationTransition.objects.all().update(reason="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ApplicationTransition.objects.all().delete()
    assert ApplicationTransition.objects.get().reason == ""
