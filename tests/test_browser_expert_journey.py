"""Two experts, new to the portal, each score a full application of the default standard in
real Chromium and sign off; then the evaluation report is downloaded and looked at."""

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.models import Application, ScoringStandard, Status
from tests.assessment_support import keep_email_out_of_the_broker
from tests.conftest import build_world, sign_in_page
from tests.evaluation_support import accepted_application, assign

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "Test-pass-123"
# Each expert deducts from a few items; everything else gets its maximum.
DEDUCTIONS = {
    "expert": {"1.5": "1.0", "4.4": "0.5", "5.2": "1.5"},  # total 97.0
    "expert2": {"1.5": "1.0", "2.6": "1.0", "4.8": "2.1"},  # total 95.9
}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "accept_downloads": True}


def sign_in(page, base, username):
    sign_in_page(page, base, username, PASSWORD)


def score_as_newcomer(page, base, username, unit_name, items):
    sign_in(page, base, username)
    # A newcomer starts on the dashboard and follows the task waiting there.
    page.get_by_role("link", name="工作台").first.click()
    page.get_by_role("link", name=unit_name).click()
    page.get_by_label("本人与该单位不存在利害关系", exact=False).check()
    page.get_by_role("button", name="提交声明").click()
    page.get_by_text("已声明无利益冲突，可以开始评分。").wait_for()
    page.screenshot(path=str(ARTIFACTS / f"journey-{username}-form.png"), full_page=True)
    for item in items:
        cut = Decimal(DEDUCTIONS[username].get(item.code, "0"))
        page.get_by_label(f"第 {item.code} 项评分", exact=True).fill(str(item.max_points - cut))
        if cut:
            page.get_by_label(f"第 {item.code} 项评估发现", exact=True).fill(
                f"{item.code} 记录不完整，扣 {cut} 分"
            )
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存，可继续修改。").wait_for()
    assert page.get_by_label("第 5.3 项评分", exact=True).input_value() == "3.0"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="签署提交").click()
    page.get_by_text("已签署评估，评分已锁定。").wait_for()
    page.screenshot(path=str(ARTIFACTS / f"journey-{username}-signed.png"), full_page=True)
    assert page.get_by_role("button", name="签署提交").count() == 0
    page.get_by_role("button", name="退出").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_two_experts_score_sign_and_the_report_downloads(live_server, page, monkeypatch):
    ARTIFACTS.mkdir(exist_ok=True)
    # Transactions really commit here, so notices would queue e-mails on the real broker (and
    # fix Celery's per-thread result backend for later tests); record them instead.
    sent = keep_email_out_of_the_broker(monkeypatch)
    world = build_world()
    world.users["expert_other"].username = "expert2"
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau, self_total=Decimal("99.0"))
    assign(application, bureau, world.users["expert"], world.users["expert_other"])
    items = list(ScoringStandard.objects.get(version="v1").items())
    assert len(items) == 27

    base = live_server.url
    score_as_newcomer(page, base, "expert", world.unit.name, items)
    assert Application.objects.get(pk=application.pk).status == Status.UNDER_EVALUATION
    score_as_newcomer(page, base, "expert2", world.unit.name, items)
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.EVALUATED
    assert application.preliminary_score == Decimal("96.5")  # (97.0 + 95.9) / 2 = 96.45
    assert any("新的评估任务" in subject for subject, _body, _to in sent)
    assert any("评估报告已生成" in subject for subject, _body, _to in sent)

    sign_in(page, base, "expert2")
    page.get_by_role("link", name="我的评估任务").first.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="评估报告").click()
    pdf = ARTIFACTS / "journey-report.pdf"
    download.value.save_as(pdf)
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils missing")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    names = {line.split()[0] for line in fonts.splitlines()[2:] if line.strip()}
    assert names and all(re.fullmatch(r"[A-Z]{6}\+Noto-Serif-SC(-Bold)?", n) for n in names)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert world.unit.name in flat and "96.5分" in flat and "五星级" in flat
    assert "4.8记录不完整，扣2.1分" in flat
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "journey-report")], check=True
    )
