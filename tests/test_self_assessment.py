"""Filling the self-assessment: drafts never lose input, evidence per item, submission."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Application, Evidence, SelfScore, Status
from tests.assessment_support import check_pdf, complete_draft, open_cycle, pdf_upload, sign
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return open_cycle()


@pytest.fixture
def application(world, cycle):
    sign(cycle, world.unit, world.users["enterprise"])
    return Application.objects.create(cycle=cycle, unit=world.unit)


def item(cycle, code):
    return next(entry for entry in cycle.standard.items() if entry.code == code)


def edit_url(application):
    return reverse("assessments:self_assessment", args=[application.pk])


def test_enterprise_without_pledge_is_sent_to_sign_it_first(client_as, world, cycle):
    response = client_as("enterprise").get(reverse("assessments:application_mine"))
    assert response.url == reverse("assessments:pledge_sign")
    assert not Application.objects.exists()


def test_after_the_pledge_the_draft_is_started(client_as, world, cycle):
    sign(cycle, world.unit, world.users["enterprise"])
    response = client_as("enterprise").get(reverse("assessments:application_mine"))
    application = Application.objects.get(unit=world.unit)
    assert response.url == edit_url(application)
    page = client_as("enterprise").get(response.url).content.decode()
    assert page.count('inputmode="decimal"') == len(list(cycle.standard.items()))


def test_draft_save_keeps_valid_fields_and_shows_errors_on_the_others(
    client_as, world, cycle, application
):
    first, second, third = item(cycle, "1.1"), item(cycle, "1.2"), item(cycle, "1.3")
    response = client_as("enterprise").post(
        edit_url(application),
        {
            f"item-{first.pk}-score": "4.5",
            f"item-{first.pk}-notes": "制度汇编齐全",
            f"item-{second.pk}-score": "九分",
            f"item-{second.pk}-notes": "操作规程待补充",
            f"item-{third.pk}-score": "4.25",
            "report-self_report": "自查报告初稿",
            "then": "save",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    # The mistakes are shown with what was typed, and a message names what to fix.
    assert 'value="九分"' in body and "请输入数字" in body
    assert 'value="4.25"' in body and "最多保留一位小数" in body
    assert "操作规程待补充" in body
    # The valid parts were saved all the same.
    saved = {score.item_id: score for score in SelfScore.objects.filter(application=application)}
    assert saved[first.pk].score == Decimal("4.5")
    assert saved[second.pk].notes == "操作规程待补充" and saved[second.pk].score is None
    assert third.pk not in saved or saved[third.pk].score is None
    assert Application.objects.get(pk=application.pk).self_report == "自查报告初稿"


def test_score_above_the_items_maximum_is_refused_with_the_maximum(
    client_as, world, cycle, application
):
    target = item(cycle, "2.5")  # max 2
    response = client_as("enterprise").post(
        edit_url(application), {f"item-{target.pk}-score": "3", "then": "save"}
    )
    assert "不能超过本项满分2.0分" in response.content.decode()
    assert not SelfScore.objects.filter(item=target, score__isnull=False).exists()


def test_negative_score_is_refused(client_as, world, cycle, application):
    target = item(cycle, "1.1")
    response = client_as("enterprise").post(
        edit_url(application), {f"item-{target.pk}-score": "-1", "then": "save"}
    )
    assert "自评分不能为负数" in response.content.decode()


def test_evidence_is_attached_to_its_item(client_as, world, cycle, application):
    target = item(cycle, "4.2")
    response = client_as("enterprise").post(
        edit_url(application),
        {f"item-{target.pk}-files": [pdf_upload("专户存储凭证.pdf")], "then": "save"},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(application=application)
    assert evidence.item == target
    assert evidence.original_name == "专户存储凭证.pdf"
    assert "专户存储凭证" not in evidence.file.name  # random storage name


def test_stale_session_post_is_kept_across_login_and_saved(client, world, cycle, application):
    """The session expired while typing: the POST is kept, the user signs in and finds it."""
    target = item(cycle, "1.1")
    client.logout()
    response = client.post(
        edit_url(application),
        {f"item-{target.pk}-score": "4.0", "report-self_report": "长篇自查报告", "then": "save"},
    )
    assert "/accounts/login/" in response.url
    assert not SelfScore.objects.filter(application=application).exists()
    sign_in(client, world.users["enterprise"])
    page = client.get(edit_url(application))
    assert "您登录前提交的内容已恢复并保存为草稿" in page.content.decode()
    assert SelfScore.objects.get(application=application, item=target).score == Decimal("4.0")
    assert Application.objects.get(pk=application.pk).self_report == "长篇自查报告"


def test_stale_post_is_not_applied_by_another_enterprise(client, world, cycle, application):
    client.logout()
    client.post(edit_url(application), {"report-self_report": "别人的内容", "then": "save"})
    sign_in(client, world.users["enterprise_other"])
    assert client.get(edit_url(application)).status_code == 404
    assert Application.objects.get(pk=application.pk).self_report == ""


def test_save_and_submit_produces_the_application_form(client_as, world, cycle):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    client = client_as("enterprise")
    response = client.post(
        edit_url(application),
        {"expected_status": "draft", "then": "submit"} | _current(application),
    )
    assert response.url == reverse("assessments:application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    detail = client.get(response.url).content.decode()
    assert "市安全生产监管局正在审核材料" in detail  # what happens next, in plain words
    pdf = client.get(reverse("assessments:application_form_pdf", args=[application.pk]))
    check_pdf(
        pdf.content,
        "application_form",
        [
            "安全生产诚信评估申请表",
            world.unit.name,
            f"{application.self_score_total}分",
            "自查报告",
        ],
    )


def _current(application):
    """The form as the page would post it back (every saved value)."""
    data = {"report-self_report": application.self_report}
    for score in application.self_scores.all():
        data[f"item-{score.item_id}-score"] = str(score.score)
        data[f"item-{score.item_id}-notes"] = score.notes
    return data


def test_submitted_application_can_no_longer_be_edited(client_as, world, cycle):
    from assessments.services import self_assessment

    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    self_assessment.submit(
        application=application, actor=world.users["enterprise"], expected_status="draft"
    )
    client = client_as("enterprise")
    assert client.get(edit_url(application)).status_code == 403
    assert client.post(edit_url(application), {"then": "save"}).status_code == 403


def test_get_never_submits(client_as, world, cycle):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    client = client_as("enterprise")
    assert client.get(reverse("assessments:submit", args=[application.pk])).status_code == 405
    assert client.get(reverse("assessments:withdraw", args=[application.pk])).status_code == 405
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_double_click_on_submit_is_refused_with_a_readable_message(client_as, world, cycle):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    client = client_as("enterprise")
    url = reverse("assessments:submit", args=[application.pk])
    client.post(url, {"expected_status": "draft"})
    response = client.post(url, {"expected_status": "draft"}, follow=True)
    assert "本次操作未执行" in response.content.decode()
    assert application.transitions.count() == 1


def test_other_enterprise_can_neither_read_nor_change_the_application(client_as, world, cycle):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    client = client_as("enterprise_other")
    for name in ("application_detail", "self_assessment", "application_form_pdf", "receipt_pdf"):
        assert client.get(reverse(f"assessments:{name}", args=[application.pk])).status_code == 404
    response = client.post(edit_url(application), {"report-self_report": "篡改", "then": "save"})
    assert response.status_code == 404
    response = client.post(
        reverse("assessments:submit", args=[application.pk]), {"expected_status": "draft"}
    )
    assert response.status_code == 404
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT
    assert Application.objects.get(pk=application.pk).self_report == "本单位已完成自查。"


@pytest.mark.parametrize("persona", ["township_other", "supervisor_other", "expert", "government"])
def test_outsiders_cannot_read_the_application(client_as, world, cycle, persona):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    url = reverse("assessments:application_detail", args=[application.pk])
    assert client_as(persona).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["township", "supervisor", "bureau"])
def test_township_department_and_bureau_follow_the_application(client_as, world, cycle, persona):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    url = reverse("assessments:application_detail", args=[application.pk])
    assert client_as(persona).get(url).status_code == 404  # a draft is the enterprise's own
    Application.objects.filter(pk=application.pk).update(status=Status.SUBMITTED)
    assert client_as(persona).get(url).status_code == 200
