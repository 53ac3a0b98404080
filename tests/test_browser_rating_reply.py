"""Right to reply, in real Chromium: the enterprise writes a reply to its published rating, the
bureau publishes it, and a citizen reads it on the unit's public page marked as the
enterprise's own words."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.demo.publications import demo_cycle
from tests.access.ratings import published_rating
from tests.conftest import sign_in_page
from tests.test_accessibility import severe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-pass-123"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
REPLY = "我单位已完成全部隐患整改，欢迎社会监督。"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


def signed_in(browser, base, username):
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in_page(page, base, username, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    return page


def test_reply_published(browser, live_server, world):
    rating = published_rating(
        demo_cycle(2025, is_open=False), world.unit, world.users
    ).ratings.get()
    base = live_server.url
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/search/units/{world.unit.credit_code}/")
    expect(public.locator(".current-result")).to_be_visible()
    expect(public.locator(".enterprise-reply")).to_have_count(0)

    enterprise = signed_in(browser, base, "ent")
    enterprise.goto(f"{base}/ratings/results/{rating.pk}/")
    assert severe_violations(enterprise) == []
    enterprise.get_by_label("回应内容").fill(REPLY)
    enterprise.get_by_role("button", name="提交回应").click()
    expect(enterprise.locator(".alert-success, .alert-info").first).to_contain_text("将于")
    expect(enterprise.locator(".reply-submitted")).to_contain_text("待审核")

    bureau = signed_in(browser, base, "bureau")
    bureau.goto(f"{base}/ratings/replies/")
    row = bureau.locator("tr", has_text=world.unit.name)
    row.get_by_role("link", name="审核").click()
    expect(bureau.locator(".reply-original")).to_have_text(REPLY)
    assert severe_violations(bureau) == []
    bureau.get_by_label("按原文公开").check()
    bureau.get_by_role("button", name="提交审核结果").click()
    expect(bureau.locator("main")).to_contain_text("已审核")

    public.reload()
    reply = public.locator(".enterprise-reply")
    expect(reply).to_be_visible()
    expect(reply.get_by_role("heading")).to_have_text("企业回应")
    expect(reply).to_contain_text("以下为该单位自己的表述，不代表本机关的意见。")
    expect(reply.locator("blockquote")).to_have_text(REPLY)
    assert severe_violations(public) == []
    ARTIFACTS.mkdir(exist_ok=True)
    public.screenshot(path=str(ARTIFACTS / "reply-published.png"), full_page=True)

    enterprise.reload()
    expect(enterprise.locator(".reply-published")).to_contain_text("已公开")

    for page in (public, enterprise, bureau):
        page.context.close()
