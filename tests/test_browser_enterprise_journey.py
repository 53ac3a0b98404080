"""A newcomer's whole journey in real Chromium: pledge, self-assessment with evidence, submit,
returned by the bureau, fix and resubmit, accepted, download the receipt.

Screenshots go to test-artifacts/ (git-ignored) for a person to look at.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.models import Application, Status
from tests.assessment_support import (
    PDF_BYTES,
    ensure_reference_data,
    keep_email_out_of_the_broker,
    open_cycle,
)
from tests.conftest import sign_in_page
from tests.factories import UnitFactory, UserFactory

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "Test-pass-123"


def sign_in(page, base, username):
    sign_in_page(page, base, username, PASSWORD)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_newcomer_pledges_fills_submits_is_returned_resubmits_and_gets_the_receipt(
    live_server, browser, tmp_path, monkeypatch
):
    ensure_reference_data()
    emails = keep_email_out_of_the_broker(monkeypatch)
    cycle = open_cycle()
    unit = UnitFactory(name="新郑市金堃昇达建筑工程有限公司")
    UserFactory(role="enterprise", unit=unit, username="newcomer")
    UserFactory(role="bureau", username="clerk", display_name="受理员")
    evidence = tmp_path / "安全生产台账.pdf"
    evidence.write_bytes(PDF_BYTES)
    base = live_server.url

    enterprise = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    enterprise.on("dialog", lambda dialog: dialog.accept())
    sign_in(enterprise, base, "newcomer")

    # 1. Pledge, from the dashboard.
    enterprise.get_by_role("link", name="签署本年度安全生产诚信建设承诺书").click()
    enterprise.get_by_label("签署人（法定代表人或主要负责人）").fill("张伟")
    enterprise.get_by_label("职务").fill("总经理")
    enterprise.get_by_label("本单位已阅读并郑重作出上述承诺").check()
    shot(enterprise, "1-pledge")
    enterprise.get_by_role("button", name="签署并报送").click()
    expect(enterprise.get_by_text("承诺书已签署并报送")).to_be_visible()

    # 2. The whole self-assessment, with evidence on every item.
    enterprise.get_by_role("link", name="下一步：填报自评").click()
    expect(enterprise.get_by_role("heading", name="自查自评")).to_be_visible()
    items = list(cycle.standard.items())
    for item in items:
        enterprise.get_by_label(f"{item.code} 自评分").fill(str(item.max_points - 1))
        enterprise.get_by_label(f"{item.code} 说明", exact=True).fill("已落实，见附件")
        enterprise.get_by_label(f"{item.code} 证明材料").set_input_files(str(evidence))
    enterprise.get_by_role("textbox", name="自查报告").fill(
        "本单位对照评分标准逐项自查，情况如下。"
    )
    enterprise.get_by_role("button", name="保存草稿").click()
    expect(enterprise.get_by_text("草稿已保存")).to_be_visible()
    expect(enterprise.get_by_role("link", name="安全生产台账.pdf")).to_have_count(len(items))
    shot(enterprise, "2-self-assessment")
    enterprise.get_by_role("button", name="保存并提交评估申请").click()
    expect(enterprise.get_by_text("当前状态：已提交，待受理")).to_be_visible()
    expect(enterprise.get_by_text("市安全生产监管局正在审核材料")).to_be_visible()
    shot(enterprise, "3-submitted")

    # 3. The bureau returns it with reasons.
    bureau = browser.new_context(locale="zh-CN").new_page()
    bureau.on("dialog", lambda dialog: dialog.accept())
    sign_in(bureau, base, "clerk")
    bureau.get_by_role("button", name="受理与评估").click()  # the bureau's menu of this stage
    bureau.get_by_role("link", name="申请受理").click()
    expect(bureau.locator("tr.table-warning")).to_contain_text(unit.name)
    shot(bureau, "4-queue")
    bureau.get_by_role("link", name=unit.name).click()
    bureau.get_by_label("证明材料不全").check()
    bureau.get_by_label("具体说明").fill("请补充4.2项安全生产费用专户存储凭证")
    bureau.get_by_role("button", name="退回补正").click()
    expect(bureau.get_by_text("已退回补正")).to_be_visible()

    # 4. The enterprise sees why, fixes and resubmits.
    enterprise.reload()
    reasons = enterprise.get_by_role("region", name="退回补正原因")
    expect(reasons).to_contain_text("证明材料不全")
    expect(reasons).to_contain_text("请补充4.2项安全生产费用专户存储凭证")
    shot(enterprise, "5-returned")
    enterprise.get_by_role("link", name="填写/修改自评").click()
    enterprise.get_by_label("4.2 证明材料").set_input_files(str(evidence))
    enterprise.get_by_label("4.2 自评分").fill("3")
    enterprise.get_by_role("button", name="保存并提交评估申请").click()
    expect(enterprise.get_by_text("当前状态：已提交，待受理")).to_be_visible()

    # 5. The bureau accepts.
    bureau.reload()
    bureau.get_by_role("button", name="受理并出具回执").click()
    expect(bureau.get_by_text("已受理，回执编号")).to_be_visible()

    # 6. The enterprise downloads the receipt and sees every round in its timeline.
    enterprise.reload()
    expect(enterprise.get_by_text("当前状态：已受理")).to_be_visible()
    expect(enterprise.locator(".timeline li")).to_have_count(4)
    shot(enterprise, "6-accepted")
    with enterprise.expect_download() as download:
        enterprise.get_by_role("link", name="下载《受理回执单》").click()
    receipt = tmp_path / "receipt.pdf"
    download.value.save_as(receipt)
    assert receipt.read_bytes().startswith(b"%PDF-")
    application = Application.objects.get(unit=unit)
    assert application.status == Status.ACCEPTED
    assert application.receipt_number.endswith("0001号")
    assert any("已受理" in subject for subject, _body, _to in emails)
