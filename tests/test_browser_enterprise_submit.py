"""What an enterprise sees when it presses "保存并提交评估申请", in real Chromium: an incomplete
form is explained on the page without a confirmation dialog; a complete form typed in one go
asks once and is submitted on that first click."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.models import Application, Status
from tests.assessment_support import ensure_reference_data, keep_email_out_of_the_broker, open_cycle
from tests.assessment_support import sign as sign_pledge
from tests.factories import UnitFactory, UserFactory

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "Test-pass-123"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_submit_asks_only_when_complete_and_submits_on_the_first_click(
    live_server, browser, monkeypatch
):
    ensure_reference_data()
    keep_email_out_of_the_broker(monkeypatch)
    cycle = open_cycle()
    unit = UnitFactory(name="新郑市一次提交建材有限公司")
    user = UserFactory(role="enterprise", unit=unit, username="oneclick")
    UserFactory(role="bureau", username="clerk")
    sign_pledge(cycle, unit, user)
    page = browser.new_context(locale="zh-CN").new_page()
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("oneclick")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # The dashboard says where the unit stands and when each deadline falls.
    progress = page.get_by_role("list", name="评估工作五个阶段")
    expect(progress.get_by_role("listitem")).to_have_count(5)
    expect(progress.locator("[aria-current=step]")).to_contain_text("组织实施")
    expect(
        page.get_by_text(f"提交评估申请：{cycle.application_deadline.isoformat()}")
    ).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "journey-submit-dashboard.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "journey-submit-dashboard-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/assessments/application/")
    expect(page.get_by_role("heading", name="自查自评")).to_be_visible()

    # Half the items scored, no report: no dialog, one sentence on the page, nothing sent.
    items = list(cycle.standard.items())
    for item in items[:6]:
        page.get_by_label(f"{item.code} 自评分").fill(str(item.max_points))
    page.get_by_role("button", name="保存并提交评估申请").click()
    missing = len(items) - 6
    codes = "、".join(item.code for item in items[6:11])
    expect(page.get_by_role("alert")).to_have_text(
        f"自评尚未完成，还有{missing + 1}处未填写：第{codes}项等{missing}项的自评分，以及自查报告。"
    )
    expect(page.get_by_label(f"{items[6].code} 自评分")).to_be_focused()
    assert dialogs == []
    # The bar with the buttons and the message is sticky: shoot the viewport the user sees.
    page.screenshot(path=str(ARTIFACTS / "journey-submit-incomplete.png"))

    # Everything typed, never saved before: the first click asks once and submits.
    for item in items[6:]:
        page.get_by_label(f"{item.code} 自评分").fill(str(item.max_points))
    page.get_by_role("textbox", name="自查报告").fill("本单位对照评分标准逐项自查，情况如下。")
    page.get_by_role("button", name="保存并提交评估申请").click()
    expect(page.get_by_text("当前状态：已提交，待受理")).to_be_visible()
    expect(page.get_by_text("评估申请已提交")).to_be_visible()
    expect(page.get_by_text("自评尚未完成")).to_have_count(0)
    assert dialogs == ["提交后不能再修改（受理前可撤回）。确定提交评估申请？"]
    page.screenshot(path=str(ARTIFACTS / "journey-submit-first-click.png"), full_page=True)
    assert Application.objects.get(unit=unit).status == Status.SUBMITTED
