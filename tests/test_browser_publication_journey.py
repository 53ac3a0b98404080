"""The whole path in real Chromium: from a graded application to a verified certificate.

Bureau opens publicity → an anonymous visitor comments → the bureau answers → (the window
closes) → the bureau submits to the government → the government confirms → the bureau
publishes and generates certificates (a real Celery worker renders them) → a member of the
public opens the verification URL printed on the certificate and sees 有效.
"""

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from playwright.sync_api import expect

from portal.celery import app
from portal.demo.publications import demo_cycle, graded_application
from ratings.models import PublicityBatch
from tests.conftest import sign_in_page

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PASSWORD = "Test-pass-123"


@pytest.fixture
def worker():
    import celery.contrib.testing.tasks  # noqa: F401 - the worker's own ping task
    from django.db import connections

    # The worker thread opens its own connection; closing it after each task lets the test
    # database be dropped at teardown.
    database = connections.settings["default"]
    max_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as running:
        yield running
    database["CONN_MAX_AGE"] = max_age


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"publication-{name}.png"), full_page=True)


def sign_in(browser, base, username):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in_page(page, base, username, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    return page


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_graded_application_to_verified_certificate(
    browser, live_server, world, settings, worker, tmp_path
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    cycle = demo_cycle(timezone.localdate().year, is_open=True)
    graded_application(
        cycle,
        world.unit,
        Decimal("91.5"),
        bureau=world.users["bureau"],
        expert=world.users["expert"],
    )

    # The bureau opens the public-comment window.
    bureau = sign_in(browser, base, "bureau")
    bureau.goto(f"{base}/ratings/publicity/new/")
    now = timezone.localtime()
    bureau.fill(
        "input[name=starts_at]", (now - timezone.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    )
    bureau.fill(
        "input[name=ends_at]", (now + timezone.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    shot(bureau, "01-bureau-opens-publicity")
    bureau.click("text=开启公示 >> nth=-1")
    expect(bureau.locator(".alert-success")).to_contain_text("公示已开启")

    # An anonymous visitor reads the proposed grade and comments.
    visitor = browser.new_context(locale="zh-CN").new_page()
    visitor.goto(f"{base}/publicity/")
    expect(visitor.locator("main")).to_contain_text(world.unit.name)
    visitor.click("a:has-text('提意见')")
    visitor.fill("textarea[name=content]", "该单位仓库消防通道堆放杂物，请核实。")
    visitor.fill("input[name=contact_name]", "孙先生")
    visitor.fill("input[name=contact_phone]", "13511112222")
    question = visitor.locator("label[for=id_captcha_answer]").inner_text()
    left, right = re.search(r"(\d) \+ (\d)", question).groups()
    visitor.fill("input[name=captcha_answer]", str(int(left) + int(right)))
    shot(visitor, "02-visitor-comments")
    visitor.click("button:has-text('提交意见')")
    code = visitor.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    shot(visitor, "03-tracking-code")

    # The bureau answers the comment.
    bureau.goto(f"{base}/ratings/publicity/")
    bureau.click(f"text={cycle.name}安全生产诚信等级评定结果公示")
    bureau.click(f"a:has-text('{world.unit.name}')")
    # The bureau alone sees the contact, masked until it asks to see it (an audited action).
    expect(bureau.locator("main")).to_contain_text("135****2222")
    assert "13511112222" not in bureau.content()
    bureau.check("input[name=decision][value=not_upheld]")
    bureau.fill("textarea[name=answer]", "经现场核查，消防通道畅通，意见不成立。")
    bureau.click("button:has-text('提交答复')")
    expect(bureau.locator(".alert-success")).to_contain_text("已答复")
    shot(bureau, "04-bureau-answers")

    # The commenter follows the outcome with the tracking code.
    visitor.goto(f"{base}/publicity/track/")
    visitor.fill("input[name=code]", code)
    visitor.click("button:has-text('查询')")
    expect(visitor.locator("#outcome")).to_contain_text("不成立")
    assert "13511112222" not in visitor.content()

    # The window closes (time passes), then the bureau submits to the government.
    past = timezone.now() - timezone.timedelta(minutes=1)
    PublicityBatch.objects.update(ends_at=past, starts_at=past - timezone.timedelta(days=7))
    bureau.goto(f"{base}/ratings/publicity/")
    bureau.click(f"text={cycle.name}安全生产诚信等级评定结果公示")
    bureau.click("button:has-text('报送市政府确认')")
    expect(bureau.locator(".alert-success")).to_contain_text("已报送市政府确认")

    # The government reviews (drill-down) and confirms.
    government = sign_in(browser, base, "gov")
    government.goto(f"{base}/ratings/submissions/")
    government.click(f"text={cycle.name}安全生产诚信等级评定结果公示")
    government.click("a:has-text('逐项评分')")
    expect(government.locator("main")).to_contain_text("逐项评分")
    government.go_back()
    shot(government, "05-government-reviews")
    government.click("button:has-text('确认所选结果')")
    expect(government.locator(".alert-success")).to_contain_text("已确认 1 个单位")

    # The bureau publishes today and generates the certificates in the worker.
    bureau.on("dialog", lambda dialog: dialog.accept())
    bureau.goto(f"{base}/ratings/publications/")
    bureau.fill("input[name=publish_on]", timezone.localdate().isoformat())
    bureau.fill("input[name=document_number]", "7")
    bureau.click("button:has-text('公布') >> nth=-1")
    expect(bureau.locator(".alert-success")).to_contain_text("结果已公布")
    bureau.click("button:has-text('生成证书')")
    expect(bureau.locator("[data-role=state]")).to_have_text("已完成", timeout=60_000)
    shot(bureau, "06-certificates-generated")
    href = bureau.locator("a:has-text('新安诚证')").first.get_attribute("href")
    response = bureau.request.get(base + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    url = re.search(r"(http://\S+/certificates/verify/[a-z2-9]{16}/)", text).group(1)

    # A member of the public opens the URL printed on (and encoded in the QR of) the certificate.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(url)
    expect(public.locator("#certificate-state")).to_have_text("有效")
    expect(public.locator("main")).to_contain_text(world.unit.name)
    shot(public, "07-public-verifies")
