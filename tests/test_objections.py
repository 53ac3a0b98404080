"""Due process (#16): the notice before an adverse result, the objection, and its review by an
officer who took no part — through the real grade review, publicity, confirmation and
publication services and the real pages."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import ServiceRating, Status, TransactionKind
from linkage.models import Notice
from portal.demo.publications import demo_cycle
from portal.models import Notification
from portal.refusals import Refused
from ratings.models import AdverseNotice, Objection
from ratings.services import confirmation, publicity
from ratings.services import objections as due_process
from tests.access.ratings import close_window, published_rating
from tests.conftest import sign_in
from tests.objection_support import clerk, graded_by_review

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _no_star(world, score="70.0", **kwargs):
    cycle = demo_cycle(2026, is_open=True)
    return graded_by_review(
        cycle, world.unit, Decimal(score), expert=world.users["expert"], **kwargs
    )


def _in_publicity(world, application):
    now = timezone.now()
    batch = publicity.open_batch(
        cycle=application.cycle,
        applications=[application],
        title="公示",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=3),
        actor=world.users["bureau"],
    )
    return batch.items.get()


def _text(pdf: bytes) -> str:
    """The PDF's text as a reader sees it, without the spacing of headings and line breaks."""
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return "".join(text.split())


def test_a_no_star_proposal_tells_the_enterprise_the_result_facts_rule_rights_and_deadline(
    client, world
):
    application = _no_star(world)
    notice = AdverseNotice.objects.get(application=application)
    assert notice.kind == AdverseNotice.Kind.NO_STAR
    told = Notification.objects.get(
        recipient=world.users["enterprise"], subject__contains="不利结果告知"
    )
    assert "不利结果告知" in told.subject and told.link.endswith(f"/notices/{notice.pk}/")

    sign_in(client, world.users["enterprise"])
    page = client.get(reverse("assessments:application_detail", args=[application.pk]))
    assert notice.number in page.content.decode()
    page = client.get(told.link).content.decode()
    assert "无星级" in page and "70.0" in page
    assert "专家评估初评得分 70.0 分" in page
    assert "75 分以下的，不能被评为星级" in page  # the scheme's rule, in its own words
    assert "听证" in page and "异议" in page
    assert notice.objection_deadline.isoformat() in page
    pdf = client.get(reverse("ratings:notice_pdf", args=[notice.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = _text(pdf.content)
    assert "不利结果告知书" in text and "新政〔2010〕36号" in text and "听证权" in text


def test_a_veto_item_is_named_with_its_facts(world):
    from assessments.models import VetoItem

    veto = VetoItem.objects.filter(standard=demo_cycle(2026, is_open=True).standard).first()
    application = _no_star(world, "96.0", veto=veto)
    facts = " ".join(AdverseNotice.objects.get(application=application).facts)
    assert veto.text in facts and "死亡事故" in facts


def test_a_grade_lowered_in_the_review_brings_a_notice_and_a_kept_grade_none(world):
    lowered = _no_star(world, "90.0", adjustment=Decimal("-6"))
    notice = AdverseNotice.objects.get(application=lowered)
    assert notice.kind == AdverseNotice.Kind.LOWERED_IN_REVIEW
    assert (notice.previous_star, notice.proposed_star) == (4, 3)
    assert any("应急预案未演练" in fact for fact in notice.facts)
    kept = graded_by_review(
        demo_cycle(2026, is_open=True),
        world.other_unit,
        Decimal("90.0"),
        expert=world.users["expert"],
    )
    assert not AdverseNotice.objects.filter(application=kept).exists()


def test_a_grade_lowered_after_an_upheld_comment_brings_a_notice_citing_it(world):
    application = _no_star(world, "86.0")
    item = _in_publicity(world, application)
    comment, _code = publicity.submit_comment(
        item=item, content="该单位仓库堆放易燃物。", contact_name="", contact_phone=""
    )
    bureau = world.users["bureau"]
    publicity.answer(comment=comment, decision="upheld", text="经核实属实。", actor=bureau)
    publicity.change_grade(
        application=application,
        new_score=Decimal("80.0"),
        has_veto=False,
        reason="意见属实，扣分。",
        actor=bureau,
        comment=comment,
    )
    notice = AdverseNotice.objects.get(application=application)
    assert notice.kind == AdverseNotice.Kind.LOWERED_AFTER_COMMENT
    assert any("堆放易燃物" in fact for fact in notice.facts)


def test_the_result_is_not_submitted_before_the_period_ends_or_the_objection_is_decided(
    client, world
):
    application = _no_star(world)
    item = _in_publicity(world, application)
    close_window(item)
    sign_in(client, world.users["bureau"])
    url = reverse("ratings:batch_submit", args=[item.batch_id])
    page = client.post(url, {"items": [item.pk], "note": ""}, follow=True).content.decode()
    notice = AdverseNotice.objects.get(application=application)
    assert f"异议期至 {notice.objection_deadline.isoformat()} 届满" in page
    application.refresh_from_db()
    assert application.status == Status.IN_PUBLICITY

    objection = due_process.file_objection(
        application=application,
        reasons="扣分有误。",
        evidence=None,
        evidence_type="",
        actor=world.users["enterprise"],
    )
    with pytest.raises(Refused, match="异议复核尚未作出决定"):
        confirmation.submit_to_government(
            batch=item.batch, items=[item], note="", actor=world.users["bureau"]
        )
    due_process.decide(
        objection=objection, upheld=False, text="扣分有据。", actor=world.users["bureau"]
    )
    confirmation.submit_to_government(
        batch=item.batch, items=[item], note="", actor=world.users["bureau"]
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED_TO_GOVERNMENT


def test_an_officer_who_took_part_cannot_decide_and_an_independent_one_upholds(client, world):
    application = _no_star(world, "74.0")
    _in_publicity(world, application)
    notice = AdverseNotice.objects.get(application=application)
    sign_in(client, world.users["enterprise"])
    evidence = SimpleUploadedFile("培训记录.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("ratings:objection_new", args=[application.pk]),
        {"reasons": "培训记录漏看，应加分。", "evidence": evidence},
        follow=True,
    )
    objection = Objection.objects.get(application=application)
    assert "异议已提交" in response.content.decode()
    assert objection.notice == notice and objection.evidence_type == "application/pdf"

    decide_url = reverse("ratings:objection_decide", args=[objection.pk])
    form = {"upheld": "1", "decision_text": "培训记录齐全，加分。", "new_score": "78.0"}
    sign_in(client, clerk())  # accepted, assigned and graded this application
    page = client.get(reverse("ratings:objection_detail", args=[objection.pk])).content.decode()
    assert 'id="not-independent"' in page and "作出复核决定</button>" not in page
    assert client.post(decide_url, form).status_code == 403
    with pytest.raises(PermissionDenied):
        due_process.decide(objection=objection, upheld=True, text="x", actor=clerk())

    sign_in(client, world.users["bureau"])
    assert client.get(decide_url).status_code == 405
    page = client.post(decide_url, form, follow=True).content.decode()
    assert "复核决定已作出" in page and "异议成立" in page
    application.refresh_from_db()
    assert (application.star, application.comprehensive_score) == (3, Decimal("78.0"))
    notice.refresh_from_db()
    assert not notice.in_force  # the result is no longer adverse
    change = application.grade_changes.get()
    assert change.objection == objection and change.changed_by == world.users["bureau"]
    assert Notification.objects.filter(
        recipient=world.users["enterprise"], subject__contains="复核决定"
    ).exists()
    # A finished service: the enterprise is asked to rate it (好差评).
    offered = ServiceRating.objects.get(kind=TransactionKind.OBJECTION_DECISION)
    assert offered.object_id == objection.pk and offered.unit == world.unit
    pdf = client.get(reverse("ratings:objection_decision_pdf", args=[objection.pk]))
    text = _text(pdf.content)
    assert "异议复核决定书" in text and "异议成立" in text and "三星级" in text


def test_an_upheld_objection_to_a_published_result_revokes_it_and_tells_departments(client, world):
    cycle = demo_cycle(2025, is_open=False)
    publication = published_rating(cycle, world.unit, world.users, Decimal("86.0"))
    rating = publication.ratings.get()
    before = Notice.objects.filter(rating=rating).count()
    sign_in(client, world.users["enterprise"])
    page = client.get(reverse("ratings:rating_detail", args=[rating.pk])).content.decode()
    assert reverse("ratings:objection_new", args=[rating.application_id]) in page
    client.post(
        reverse("ratings:objection_new", args=[rating.application_id]),
        {"reasons": "评估时漏计了已整改的隐患。"},
    )
    objection = Objection.objects.get(rating=rating)
    assert objection.against == Objection.Against.PUBLISHED
    # The "bureau" persona accepted and graded it; another officer decides.
    assert not due_process.may_decide(world.users["bureau"], rating.application)
    independent = clerk()
    sign_in(client, independent)
    client.post(
        reverse("ratings:objection_decide", args=[objection.pk]),
        {"upheld": "1", "decision_text": "评估漏计整改情况，原结果撤销，重新评定。"},
    )
    rating.refresh_from_db()
    assert rating.is_revoked and "异议复核" in rating.revocation_reason
    assert Notice.objects.filter(rating=rating, event="revoked").count() > 0
    assert Notice.objects.filter(rating=rating).count() > before


def test_hostile_or_empty_objections_get_a_message_naming_the_field(client, world):
    application = _no_star(world)
    url = reverse("ratings:objection_new", args=[application.pk])
    sign_in(client, world.users["enterprise"])
    page = client.post(url, {"reasons": ""}).content.decode()
    assert "异议理由" in page and "这个字段是必填项" in page
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    page = client.post(url, {"reasons": "理由", "evidence": fake}).content.decode()
    assert "格式不被接受" in page
    assert not Objection.objects.exists()
    sign_in(client, world.users["enterprise_other"])
    assert client.get(url).status_code == 404
    notice = AdverseNotice.objects.get()
    assert client.get(reverse("ratings:notice_detail", args=[notice.pk])).status_code == 404


def test_a_second_objection_while_one_is_pending_is_refused(world):
    application = _no_star(world)
    kwargs = dict(
        application=application, evidence=None, evidence_type="", actor=world.users["enterprise"]
    )
    due_process.file_objection(reasons="一", **kwargs)
    with pytest.raises(Refused, match="正在复核"):
        due_process.file_objection(reasons="二", **kwargs)
