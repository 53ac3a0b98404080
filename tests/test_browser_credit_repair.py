"""Credit repair (信用修复) in real Chromium: before the shortest display period the enterprise's
button is disabled and says why and from when; after it the enterprise applies with evidence,
the bureau grants it with reasons, the departments that restricted the unit are told, and the
public no longer finds the unit on the key-monitoring list."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from linkage.models import Notice
from linkage.models.notices import Event
from ratings.models import Listing
from ratings.services.rerating import add_months
from tests.assessment_support import PDF_BYTES
from tests.conftest import ensure_reference_data, sign_in_page
from tests.repair_support import CST, on, published_no_star

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-pass-123"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


def signed_in(browser, base, username):
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in_page(page, base, username, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    return page


def test_repair_is_refused_before_the_shortest_period_then_granted_and_display_ends(
    browser, live_server, world, tmp_path
):
    ensure_reference_data()
    base = live_server.url
    listed_on = add_months(timezone.localdate(), -2)
    with on(listed_on):
        rating = published_no_star(world)
    listing = Listing.objects.get(rating=rating)
    repair_from = listing.repair_from
    unit = world.unit
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/search/units/{unit.credit_code}/")
    expect(public.locator("main")).to_contain_text("列为事故隐患重点监控单位")

    # Today: the shortest period (3 months) has not passed; the button says why and when.
    enterprise = signed_in(browser, base, "ent")
    enterprise.goto(f"{base}/ratings/repair/")
    button = enterprise.get_by_role("button", name="申请信用修复")
    expect(button).to_be_disabled()
    expect(enterprise.locator("main")).to_contain_text(
        f"最短公示期未满：列入日期 {listed_on}，可于 {repair_from} 起申请信用修复。"
    )
    enterprise.context.close()

    # The day the shortest period ends (the clock of the server moves; sign in again).
    moved = datetime.datetime.combine(repair_from, datetime.time(9), CST)
    with time_machine.travel(moved, tick=True):
        enterprise = signed_in(browser, base, "ent")
        enterprise.goto(f"{base}/ratings/repair/")
        enterprise.fill("textarea[name=statement]", "重大隐患已全部整改，街道已组织验收合格。")
        evidence = tmp_path / "整改验收报告.pdf"
        evidence.write_bytes(PDF_BYTES)
        enterprise.set_input_files("input[name=evidence]", str(evidence))
        enterprise.get_by_role("button", name="申请信用修复").click()
        expect(enterprise.locator(".alert-success")).to_contain_text("10个工作日内作出决定")

        bureau = signed_in(browser, base, "bureau")
        bureau.goto(f"{base}/ratings/repair/requests/")
        bureau.get_by_role("link", name=unit.name).click()
        expect(bureau.locator("main")).to_contain_text("整改验收报告.pdf")
        bureau.check("input[name=decision][value=grant]")
        bureau.fill("textarea[name=reason]", "整改验收合格，准予信用修复。")
        bureau.get_by_role("button", name="作出决定").click()
        expect(bureau.locator(".alert-success")).to_contain_text("已通知实施限制的联动部门")
        expect(bureau.locator(".repair-status")).to_contain_text("准予修复")

        enterprise.reload()
        expect(enterprise.locator(".listing-status")).to_contain_text(
            f"已于 {repair_from} 停止公示"
        )
        # The public no longer finds the unit on the list.
        public.goto(f"{base}/search/?q={unit.credit_code}")
        expect(public.locator("main")).not_to_contain_text(unit.name)
        response = public.goto(f"{base}/search/units/{unit.credit_code}/")
        assert response.status == 404

    lifted = Notice.objects.filter(rating=rating, event=Event.LIFTED)
    assert lifted.exists()
    assert {timezone.localtime(n.created_at, CST).date() for n in lifted} == {repair_from}
