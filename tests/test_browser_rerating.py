"""Re-rating after rectification in real Chromium: a no-star unit asks with evidence, the
bureau accepts with reasons, the re-rating goes through experts, grade review, its own
publicity and the government (services), the bureau publishes it from the request's page, the
department reads the new result with why it replaces the old one, and the enterprise's old
result points to the new one."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from linkage.models import Notice
from linkage.services import delivery
from ratings.models import Rating, Rerating
from ratings.services.rerating import add_months
from tests.assessment_support import PDF_BYTES
from tests.conftest import ensure_reference_data, sign_in_page
from tests.rerating_support import evaluate, publish_result, through_publicity_and_confirmation
from tests.test_accessibility import severe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-pass-123"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


def signed_in(browser, base, username):
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in_page(page, base, username, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def test_no_star_unit_is_rerated_and_the_departments_are_told(
    browser, live_server, world, tmp_path
):
    ensure_reference_data()
    base = live_server.url
    today = timezone.localdate()
    # Published five months ago: the three-month wait is over.
    old = publish_result(world, add_months(today, -5), "70.0")

    enterprise = signed_in(browser, base, "ent")
    enterprise.goto(f"{base}/ratings/results/{old.pk}/")
    enterprise.click("a:has-text('申请重新评级')")
    assert severe_violations(enterprise) == []
    enterprise.fill("textarea[name=statement]", "仓库消防通道已清理，灭火器已更换，街道已验收。")
    evidence = tmp_path / "整改验收记录.pdf"
    evidence.write_bytes(PDF_BYTES)
    enterprise.set_input_files("input[name=files]", str(evidence))
    enterprise.click("button:has-text('提交重新评级申请')")
    expect(enterprise.locator(".alert-success")).to_contain_text("重新评级申请已提交")
    expect(enterprise.locator("[data-role=rerating-status]")).to_have_text("已提交，待受理")

    bureau = signed_in(browser, base, "bureau")
    bureau.goto(f"{base}/ratings/reratings/")
    bureau.click(f"a:has-text('{world.unit.name}')")
    expect(bureau.locator("main")).to_contain_text("整改验收记录.pdf")
    assert severe_violations(bureau) == []
    bureau.check("input[name=decision][value=accept]")
    bureau.fill("textarea[name=reason]", "整改材料齐全，受理并组织专家重新评估。")
    bureau.click("button:has-text('提交受理意见')")
    expect(bureau.locator(".alert-success")).to_contain_text("已受理")

    # The enterprise reads the decision and its reasons.
    enterprise.reload()
    expect(enterprise.locator("[data-role=rerating-decision]")).to_contain_text(
        "整改材料齐全，受理并组织专家重新评估。"
    )

    # Experts, grade review, its own window and the government, through the services.
    item = Rerating.objects.get()
    evaluate(item, world.users, "80.0")
    through_publicity_and_confirmation(item, world.users)

    bureau.reload()
    bureau.fill("input[name=publish_on]", today.isoformat())
    bureau.fill("input[name=document_number]", "9")
    bureau.click("button:has-text('公布') >> nth=-1")
    expect(bureau.locator(".alert-success")).to_contain_text("重新评级结果已公布")

    new = Rating.objects.get(application=item.application)
    delivery.deliver_inbox(list(Notice.objects.filter(rating=new).values_list("pk", flat=True)))
    department = signed_in(browser, base, "dept")
    department.goto(f"{base}/linkage/inbox/")
    department.click(f"a:has-text('{world.unit.name}') >> nth=0")
    expect(department.locator("main")).to_contain_text("三星级")
    expect(department.locator("main")).to_contain_text("整改后重新评级结果，取代该单位")

    enterprise.goto(f"{base}/ratings/results/{old.pk}/")
    expect(enterprise.locator("[data-role=replaced-by]")).to_contain_text(
        "被整改后重新评级结果（三星级）取代"
    )
    enterprise.goto(f"{base}/ratings/results/{new.pk}/")
    assert severe_violations(enterprise) == []
    expect(enterprise.locator("[data-role=rerating-why]")).to_contain_text(
        "每个考核周期只能申请一次"
    )
    for page in (enterprise, bureau, department):
        page.context.close()
