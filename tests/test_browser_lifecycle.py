"""One cycle from opening to linkage, every role acting through the UI in real Chromium.

Bureau opens the cycle → the enterprise pledges, self-assesses (every item, one evidence
file) and submits → the bureau accepts and assigns two experts → both declare, score and sign
off → the bureau grades and opens publicity → an anonymous visitor comments (reading the
arithmetic captcha off the page) → the bureau answers → the window closes → the bureau submits
to the government → the government confirms → the bureau publishes and generates certificates
→ a member of the public opens the certificate's verification (QR) URL and sees 有效 → 财政
acknowledges its notice and records a measure → the query API answers for the unit's credit
code with the department's token, issued through the bureau's UI.

Set up in the database beforehand, as an administrator would have: reference data
(``build_world``: areas, departments, standard, user accounts, expert roster) and the default
linkage policy. A real Celery worker (in a thread, on the test queue) renders the certificates
and delivers the inbox notices. One step is not a user's: the publicity window's end is moved
into the past in the database, as time passing would.

Screenshots: test-artifacts/lifecycle/NN-step.png.
"""

import re
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Application, ScoringStandard, Status
from linkage.defaults import load_default_policy
from portal.celery import app
from ratings.models import PublicityBatch, Rating
from tests.assessment_support import PDF_BYTES
from tests.conftest import build_world, sign_in_page

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "lifecycle"
PASSWORD = "Test-pass-123"


@pytest.fixture
def worker():
    import celery.contrib.testing.tasks  # noqa: F401 - the worker's own ping task
    from django.db import connections

    # An earlier test may have cached the disabled result backend in this thread, and earlier
    # runs may have left messages in the test queue that are not ours.
    app._local.__dict__.pop("backend", None)
    app.control.purge()
    # The worker thread opens its own connection; closing it after each task lets the test
    # database be flushed and dropped at teardown.
    database = connections.settings["default"]
    max_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        yield running
    database["CONN_MAX_AGE"] = max_age


class Screens:
    def __init__(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.number = 0

    def __call__(self, page, step):
        self.number += 1
        page.screenshot(path=str(ARTIFACTS / f"{self.number:02d}-{step}.png"), full_page=True)


def sign_in(browser, base, username):
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in_page(page, base, username, PASSWORD)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    return page


def menu(page, name):
    """Follow an entry of the role's navigation menu (a collapsed dropdown in headless)."""
    page.goto(
        page.locator("nav a.dropdown-item", has_text=name).first.evaluate("link => link.href")
    )


def expert_scores(browser, base, username, unit_name, items, shot):
    page = sign_in(browser, base, username)
    page.get_by_role("link", name=unit_name).first.click()
    page.get_by_label("本人与该单位不存在利害关系", exact=False).check()
    page.get_by_role("button", name="提交声明").click()
    page.get_by_text("已声明无利益冲突，可以开始评分。").wait_for()
    for item in items:
        page.get_by_label(f"第 {item.code} 项评分", exact=True).fill(str(item.max_points))
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存，可继续修改。").wait_for()
    page.get_by_role("button", name="签署提交").click()
    page.get_by_text("已签署评估，评分已锁定。").wait_for()
    shot(page, f"{username}-signs-off")
    page.context.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_one_cycle_from_opening_to_linkage(browser, live_server, settings, worker, tmp_path):
    settings.SITE_URL = live_server.url
    base = live_server.url
    world = build_world()
    load_default_policy(apps)
    unit = world.unit
    items = list(ScoringStandard.objects.get(version="v1").items())
    evidence = tmp_path / "安全生产台账.pdf"
    evidence.write_bytes(PDF_BYTES)
    shot = Screens()
    today = timezone.localdate()

    # 1. The bureau opens this year's cycle.
    bureau = sign_in(browser, base, "bureau")
    menu(bureau, "考核周期")
    bureau.get_by_role("link", name="开启新周期").click()
    bureau.get_by_label("评分标准").select_option(index=1)
    for label, days in [
        ("承诺书截止日期", 10),
        ("评估申请截止日期", 30),
        ("意见征询开始日期", 40),
        ("意见征询结束日期", 50),
    ]:
        bureau.get_by_label(label).fill((today + timezone.timedelta(days=days)).isoformat())
    shot(bureau, "bureau-opens-cycle")
    bureau.get_by_role("button", name="开启周期").click()
    expect(bureau.locator(".alert-success")).to_contain_text("考核周期")

    # 2. The enterprise pledges, self-assesses every item with one evidence file, submits.
    enterprise = sign_in(browser, base, "ent")
    enterprise.get_by_role("link", name="签署本年度安全生产诚信建设承诺书").click()
    enterprise.get_by_label("签署人（法定代表人或主要负责人）").fill("张伟")
    enterprise.get_by_label("职务").fill("总经理")
    enterprise.get_by_label("本单位已阅读并郑重作出上述承诺").check()
    enterprise.get_by_role("button", name="签署并报送").click()
    expect(enterprise.get_by_text("承诺书已签署并报送")).to_be_visible()
    shot(enterprise, "enterprise-pledges")
    enterprise.get_by_role("link", name="下一步：填报自评").click()
    for item in items:
        enterprise.get_by_label(f"{item.code} 自评分").fill(str(item.max_points))
        enterprise.get_by_label(f"{item.code} 说明", exact=True).fill("已落实，见附件")
    enterprise.get_by_label(f"{items[0].code} 证明材料").set_input_files(str(evidence))
    enterprise.get_by_role("textbox", name="自查报告").fill("本单位对照评分标准逐项自查。")
    enterprise.get_by_role("button", name="保存草稿").click()
    expect(enterprise.get_by_text("草稿已保存")).to_be_visible()
    shot(enterprise, "enterprise-self-assessment")
    enterprise.get_by_role("button", name="保存并提交评估申请").click()
    expect(enterprise.get_by_text("当前状态：已提交，待受理")).to_be_visible()
    shot(enterprise, "enterprise-submits")

    # 3. The bureau accepts and assigns two experts.
    menu(bureau, "申请受理")
    bureau.get_by_role("link", name=unit.name).click()
    bureau.get_by_role("button", name="受理并出具回执").click()
    expect(bureau.get_by_text("已受理，回执编号")).to_be_visible()
    shot(bureau, "bureau-accepts")
    menu(bureau, "专家评估")
    bureau.get_by_role("row", name=unit.name).get_by_role("link", name="指派专家").click()
    bureau.get_by_label("expert专家", exact=True).check()
    bureau.get_by_label("expert_other专家", exact=True).check()
    bureau.get_by_role("button", name="指派所选专家").click()
    expect(bureau.locator("main")).to_contain_text("待声明利益冲突")
    shot(bureau, "bureau-assigns-experts")

    # 4. Both experts declare no conflict, score and sign off.
    expert_scores(browser, base, "expert", unit.name, items, shot)
    expert_scores(browser, base, "expert2", unit.name, items, shot)
    application = Application.objects.get(unit=unit)
    assert application.status == Status.EVALUATED

    # 5. The bureau grades (no adjustment).
    menu(bureau, "等级考评")
    bureau.get_by_role("row", name=unit.name).get_by_role("link", name="审查").click()
    bureau.get_by_role("button", name="拟定等级").click()
    expect(bureau.locator("main")).to_contain_text("综合考评得分")
    shot(bureau, "bureau-grades")

    # 6. The bureau opens publicity.
    bureau.goto(f"{base}/ratings/publicity/new/")
    now = timezone.localtime()
    bureau.fill(
        "input[name=starts_at]", (now - timezone.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    )
    bureau.fill(
        "input[name=ends_at]", (now + timezone.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    bureau.click("text=开启公示 >> nth=-1")
    expect(bureau.locator(".alert-success")).to_contain_text("公示已开启")
    shot(bureau, "bureau-opens-publicity")

    # 7. An anonymous visitor comments, solving the arithmetic on the page.
    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{base}/publicity/")
    expect(visitor.locator("main")).to_contain_text(unit.name)
    visitor.click("a:has-text('提意见')")
    visitor.fill("textarea[name=content]", "该单位仓库消防通道堆放杂物，请核实。")
    visitor.fill("input[name=contact_name]", "孙先生")
    visitor.fill("input[name=contact_phone]", "13511112222")
    question = visitor.locator("label[for=id_captcha_answer]").inner_text()
    left, right = re.search(r"(\d+) \+ (\d+)", question).groups()
    visitor.fill("input[name=captcha_answer]", str(int(left) + int(right)))
    visitor.click("button:has-text('提交意见')")
    expect(visitor.locator("#tracking-code")).to_have_text(re.compile(r"[A-Z0-9]{4}-"))
    shot(visitor, "visitor-comments")

    # 8. The bureau answers.
    cycle_name = application.cycle.name
    bureau.goto(f"{base}/ratings/publicity/")
    bureau.click(f"text={cycle_name}安全生产诚信等级评定结果公示")
    bureau.click(f"a:has-text('{unit.name}')")
    bureau.check("input[name=decision][value=not_upheld]")
    bureau.fill("textarea[name=answer]", "经现场核查，消防通道畅通，意见不成立。")
    bureau.click("button:has-text('提交答复')")
    expect(bureau.locator(".alert-success")).to_contain_text("已答复")
    shot(bureau, "bureau-answers")

    # 9. The window closes (time passes: moved in the database), the bureau submits.
    past = timezone.now() - timezone.timedelta(minutes=1)
    PublicityBatch.objects.update(ends_at=past, starts_at=past - timezone.timedelta(days=7))
    bureau.goto(f"{base}/ratings/publicity/")
    bureau.click(f"text={cycle_name}安全生产诚信等级评定结果公示")
    bureau.click("button:has-text('报送市政府确认')")
    expect(bureau.locator(".alert-success")).to_contain_text("已报送市政府确认")
    shot(bureau, "bureau-submits-to-government")

    # 10. The government confirms.
    government = sign_in(browser, base, "gov")
    government.goto(f"{base}/ratings/submissions/")
    government.click(f"text={cycle_name}安全生产诚信等级评定结果公示")
    government.click("button:has-text('确认所选结果')")
    expect(government.locator(".alert-success")).to_contain_text("已确认 1 个单位")
    shot(government, "government-confirms")

    # 11. The bureau publishes and the worker generates the certificates.
    bureau.goto(f"{base}/ratings/publications/")
    bureau.fill("input[name=publish_on]", today.isoformat())
    bureau.fill("input[name=document_number]", "7")
    bureau.click("button:has-text('公布') >> nth=-1")
    expect(bureau.locator(".alert-success")).to_contain_text("结果已公布")
    bureau.click("button:has-text('生成证书')")
    expect(bureau.locator("[data-role=state]")).to_have_text("已完成", timeout=60_000)
    shot(bureau, "bureau-publishes-certificates")
    rating = Rating.objects.get(unit=unit)
    certificate = rating.certificate

    # 12. A member of the public opens the URL the certificate's QR code carries.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/certificates/verify/{certificate.verification_code}/")
    expect(public.locator("#certificate-state")).to_have_text("有效")
    expect(public.locator("main")).to_contain_text(unit.name)
    shot(public, "public-verifies-certificate")

    # 13. 财政 finds the notice (delivered by the worker), acknowledges it, records a measure.
    department = sign_in(browser, base, "dept")
    department.goto(f"{base}/linkage/inbox/")
    for _attempt in range(30):
        if department.get_by_role("link", name=unit.name).count():
            break
        department.wait_for_timeout(1000)
        department.reload()
    department.get_by_label(f"选择 {unit.name}").check()
    department.get_by_role("button", name="签收所选通报").click()
    expect(department.get_by_role("row", name=unit.name)).to_contain_text("已签收")
    shot(department, "department-acknowledges")
    department.get_by_role("link", name=unit.name).click()
    department.get_by_label("措施类别").select_option(index=1)
    department.get_by_label("措施说明").fill("列入财政资金扶持名单。")
    department.get_by_label("实施日期").fill(today.isoformat())
    department.get_by_role("button", name="保存").click()
    expect(department.locator("main")).to_contain_text("列入财政资金扶持名单。")
    shot(department, "department-records-measure")

    # 14. The security administrator (tokens are theirs, 三权分立) issues 财政 a token in the
    # UI; the query API answers with it.
    security = sign_in(browser, base, "secadmin")
    security.goto(
        security.locator("nav a", has_text="接口令牌与 Webhook").first.evaluate("a => a.href")
    )
    security.get_by_role("link", name="财政", exact=True).click()
    security.get_by_label("用途").fill("财政审批系统")
    security.get_by_role("button", name="签发令牌").click()
    token = security.locator(".alert-warning code").inner_text().strip()
    shot(security, "security-admin-issues-token")
    answer = security.request.get(
        f"{base}/api/v1/units/{unit.credit_code}/rating",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status == 200
    assert answer.json()["stars"] == rating.star
    # Without the token it does not.
    assert public.request.get(f"{base}/api/v1/units/{unit.credit_code}/rating").status == 401
