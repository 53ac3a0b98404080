"""The audit trail records who changed what, the audit administrator can search and export it,
and nobody can change it — not through the application, not through the ORM."""

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


def test_audit_administrator_searches_and_exports_the_log(client_as, world):
    world.unit.name = "新郑市审计示例有限公司"
    world.unit.save()
    client = client_as("auditadmin")
    assert "新郑市审计示例有限公司" in client.get("/audit/", {"text": "审计示例"}).content.decode()
    export = client.get("/audit/export.csv", {"text": "审计示例"})
    assert export.content.startswith(b"\xef\xbb\xbf")
    assert "新郑市审计示例有限公司" in export.content.decode("utf-8-sig")


def test_audit_pages_accept_no_writes(client_as, world):
    client = client_as("auditadmin")
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


def test_every_kind_of_decision_is_in_the_log_the_bureau_exports(
    client_as, world, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 8: state changes, score entries, adjustments, comment answers, confirmations,
    publications, revocations and deliveries, including those written in bulk."""
    from decimal import Decimal

    from auditlog.context import set_actor

    from linkage.models import Notice
    from linkage.services import delivery, inbox
    from ratings.models import Comment
    from ratings.services import confirmation, publication, publicity
    from tests.access.ratings import stage
    from tests.evaluation_support import evaluated_application

    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)
    users = world.users
    bureau, government, department = users["bureau"], users["government"], users["department"]
    # What AuditlogMiddleware does for a signed-in request; the services are called directly.
    with set_actor(bureau):
        s = stage(world)  # publicity, a comment, an objection, a submission, a publication
        evaluated_application(world, totals=("88.0", "90.0"))  # two experts' score sheets
        publicity.answer(
            comment=s.comment, decision=Comment.Decision.UPHELD, text="已核实。", actor=bureau
        )
        publicity.change_grade(
            application=s.item.application,
            new_score=Decimal("84.0"),
            has_veto=False,
            reason="意见成立，扣分。",
            actor=bureau,
            comment=s.comment,
        )
    with set_actor(government):
        confirmation.decide(
            submission=s.submission,
            items=list(s.submission.items.all()),
            confirm=True,
            reason="同意",
            actor=government,
        )
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))  # the worker
    notice = Notice.objects.get(rating=s.rating, department=department.department)
    inbox.acknowledge(user=department, notice_ids=[notice.pk])
    with set_actor(bureau):
        publication.revoke(rating=s.rating, reason="发生较大事故。", actor=bureau)

    def logged(model_label, field, actor=None):
        entries = LogEntry.objects.filter(
            content_type__app_label=model_label.split(".")[0],
            content_type__model=model_label.split(".")[1],
            changes__has_key=field,
        )
        if actor is not None:
            entries = entries.filter(actor=actor)
        return entries.exists()

    assert logged("assessments.application", "status", bureau)  # state changes
    assert logged("assessments.assignment", "expert", bureau)
    assert logged("assessments.expertscore", "score", users["expert"])  # bulk score sheets
    assert logged("assessments.expertscore", "score", users["expert_other"])
    assert logged("ratings.gradechange", "new_score", bureau)  # adjustment
    assert logged("ratings.comment", "answer", bureau)
    assert logged("ratings.submissionitem", "decision", government)  # confirmation
    assert logged("ratings.publication", "document_number", bureau)
    assert logged("ratings.rating", "revocation_reason", bureau)
    assert logged("linkage.notice", "delivered_at")  # by the system: no actor
    assert logged("linkage.notice", "acknowledged_at", department)
    # A commenter's phone number is not kept in the permanent log.
    assert not LogEntry.objects.filter(changes__icontains=s.comment.contact_phone).exists()

    export = client_as("auditadmin").get("/audit/export.csv").content.decode("utf-8-sig")
    # Field labels, not column names: 送达时间 is delivered_at, 签收时间 acknowledged_at.
    for text in (
        "已核实。",
        "意见成立，扣分。",
        "发生较大事故。",
        "送达时间: — →",
        "签收时间: — →",
    ):
        assert text in export
    assert "delivered_at" not in export
