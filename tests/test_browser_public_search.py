"""A member of the public, on a phone and on a desktop, finds a unit by part of its Chinese
name and opens its certificate's verification page."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import ensure_reference_data
from tests.factories import UnitFactory
from tests.publication_support import publish_results

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_visitor_finds_a_unit_by_part_of_its_name_and_verifies_its_certificate(
    browser, live_server, screen
):
    ensure_reference_data()  # an earlier transactional test may have flushed it
    others = [(UnitFactory(name=f"郑州恒泰{index}机械有限公司"), "88.0") for index in range(3)]
    unit = UnitFactory(name="新郑市鑫源化工有限公司")
    *_others, rating = publish_results([*others, (unit, "96.5")], year=2025)
    certificate = rating.certificate

    context = browser.new_context(viewport=VIEWPORTS[screen], locale="zh-CN")
    page = context.new_page()
    errors = []
    # Script errors from the console; failed loads from the responses (which name the URL).
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    page.on("response", lambda response: response.status >= 400 and errors.append(response.url))
    page.goto(live_server.url + "/")

    page.get_by_label("查询单位评级结果").fill("鑫源")
    page.get_by_role("button", name="查询").first.click()
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.get_by_role("list", name="查询结果")
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results).to_contain_text("五星级")
    expect(results).to_contain_text(certificate.number)
    no_sideways_scroll = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert no_sideways_scroll, "the results must fit the screen"

    results.get_by_role("link", name="新郑市鑫源化工有限公司").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新郑市鑫源化工有限公司")
    expect(page.locator("body")).to_contain_text(unit.credit_code)
    expect(page.locator("body")).not_to_contain_text("96.5")  # the score is not public
    verify = page.get_by_role("link", name="核验证书")
    expected = f"/certificates/verify/{certificate.verification_code}/"
    expect(verify).to_have_attribute("href", expected)
    # Our pages loaded without a failed request (favicon aside) or a script error.
    assert [error for error in errors if "favicon" not in error] == []
    verify.click()
    expect(page).to_have_url(live_server.url + expected)
    expect(page.locator("body")).to_contain_text(certificate.number)
    expect(page.locator("main")).to_contain_text("有效")
    context.close()
