"""Due process in real Chromium: notice → objection → independent decision.

The clerk accepted, assigned and graded an application to no star (the grade review's own
service issued the notice). The enterprise reads the notice, downloads it, and objects with
evidence; the clerk opens the objection and is told to leave it to someone else; another bureau
officer, who took no part, upholds it with a new score; the enterprise sees the new grade and
downloads the written decision.
"""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.demo.publications import demo_cycle
from tests.conftest import sign_in_page
from tests.objection_support import clerk, graded_by_review

PASSWORD = "Test-pass-123"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def signed_in(browser, base, username):
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in_page(page, base, username, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_notice_objection_and_a_decision_by_an_officer_who_took_no_part(
    browser, live_server, world, tmp_path
):
    base = live_server.url
    officer = clerk()
    officer.set_password(PASSWORD)
    officer.save()
    application = graded_by_review(
        demo_cycle(timezone.localdate().year, is_open=True),
        world.unit,
        Decimal("72.0"),
        expert=world.users["expert"],
        officer=officer,
    )
    notice = application.adverse_notices.get()

    # The enterprise finds the notice on its dashboard, reads it and objects with evidence.
    enterprise = signed_in(browser, base, "ent")
    enterprise.get_by_role(
        "link", name=re.compile(f"不利结果告知书 {re.escape(notice.number)}")
    ).click()
    expect(enterprise.locator("#notice-result")).to_contain_text("无星级")
    expect(enterprise.locator("#notice-deadline")).to_contain_text(
        notice.objection_deadline.isoformat()
    )
    expect(enterprise.get_by_text("75 分以下的，不能被评为星级", exact=False)).to_be_visible()
    pdf = enterprise.request.get(f"{base}/determination/notices/{notice.pk}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    enterprise.get_by_role("link", name="提出异议").click()
    enterprise.get_by_label("异议理由").fill("安全培训记录齐全，评估时漏看，请复核。")
    evidence = tmp_path / "培训记录.pdf"
    evidence.write_bytes(PDF)
    enterprise.get_by_label("证明材料").set_input_files(str(evidence))
    enterprise.get_by_role("button", name="提交异议").click()
    expect(enterprise.get_by_text("异议已提交", exact=False)).to_be_visible()
    objection_url = enterprise.url

    # The clerk took part: the page says so and offers no decision.
    clerk_page = signed_in(browser, base, "clerk")
    clerk_page.goto(objection_url)
    expect(clerk_page.locator("#not-independent")).to_be_visible()
    expect(clerk_page.get_by_role("button", name="作出复核决定")).to_have_count(0)

    # Another officer, who took no part, finds it on the dashboard and upholds it.
    bureau = signed_in(browser, base, "bureau")
    to_decide = bureau.get_by_role("region", name="待复核的异议")
    to_decide.get_by_role("link", name=world.unit.name).click()
    expect(bureau.locator("#objection-decision")).to_contain_text("待复核")
    bureau.get_by_label("异议成立").check()
    bureau.get_by_label("复核意见").fill("培训记录齐全，文化建设项应加 6 分。")
    bureau.get_by_label("复核后综合考评得分").fill("78.0")
    bureau.get_by_role("button", name="作出复核决定").click()
    expect(bureau.get_by_text("复核决定已作出", exact=False)).to_be_visible()
    expect(bureau.locator("#current-result")).to_contain_text("三星级")

    # The enterprise sees the decision and downloads it.
    enterprise.goto(objection_url)
    expect(enterprise.locator("#objection-decision")).to_contain_text("异议成立")
    expect(enterprise.locator("#current-result")).to_contain_text("三星级")
    decision = enterprise.request.get(objection_url + "decision.pdf")
    assert decision.headers["content-type"] == "application/pdf"
