"""A citizen on a phone (390 px), in Chinese and in English, reads the public-comment list and a
unit's history, and sends a comment after getting the form wrong first.

One set-up per language (a staged publicity item and a unit with a revoked older result);
each test walks several pages to keep the browser work small.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.access.ratings import stage
from tests.publication_support import publish_one as publish
from tests.redis_namespace import empty_namespace

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LOCALES = {"zh-hans": "zh-CN", "en": "en-US"}

# Table cells whose text the browser broke into lines of one or two characters, and badges
# cut off by their cell or the screen.
SQUEEZED = """
() => {
  const squeezed = [];
  for (const cell of document.querySelectorAll("main table td, main table th")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\\s+/g, "");
      if (text.length < 5) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
      if (lines > 1 && text.length / lines < 3) squeezed.push(text);
    }
  }
  return squeezed;
}
"""
CLIPPED_BADGES = """
() => [...document.querySelectorAll("main .badge")].filter(badge => {
  const r = badge.getBoundingClientRect();
  return badge.scrollWidth > badge.clientWidth + 1 || r.right > document.documentElement.clientWidth
    || r.height > 2 * parseFloat(getComputedStyle(badge).fontSize) + 8;
}).map(badge => badge.innerText)
"""


def fits_the_screen(page) -> bool:
    """Nothing in the page's content reaches past the screen's right edge (the top bar is
    another page part with its own tests)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("main *")].every(
             e => e.getBoundingClientRect().right <= document.documentElement.clientWidth + 1)"""
    )


@pytest.fixture
def phone(browser, live_server, world):
    empty_namespace()  # comment rate limits of earlier tests
    staged = stage(world)
    publish(world.unit, 2023, "91.0", revoked_reason="申报材料与实际不符。")

    def open_page(language: str):
        context = browser.new_context(viewport=PHONE, locale=LOCALES[language])
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        return context, context.new_page()

    yield staged, open_page
    empty_namespace()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_publicity_list_and_unit_history_read_on_a_phone(phone, live_server, world, language):
    staged, open_page = phone
    context, page = open_page(language)
    page.goto(live_server.url + "/publicity/")
    expect(page.locator("main")).to_contain_text(world.unit.name)
    page.screenshot(path=f"test-artifacts/phone-publicity-{language}.png", full_page=True)
    assert fits_the_screen(page), "the publicity list must fit a phone"
    assert page.evaluate(SQUEEZED) == []
    assert page.evaluate(CLIPPED_BADGES) == []

    page.goto(f"{live_server.url}/search/units/{world.unit.credit_code}/")
    history = page.locator("main table").first
    expect(history).to_contain_text(staged.certificate.number)
    page.screenshot(path=f"test-artifacts/phone-unit-history-{language}.png", full_page=True)
    assert fits_the_screen(page), "the unit page must fit a phone"
    assert page.evaluate(SQUEEZED) == []
    assert page.evaluate(CLIPPED_BADGES) == []
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_comment_form_stays_completable_after_mistakes(phone, live_server, language):
    staged, open_page = phone
    context, page = open_page(language)
    page.goto(f"{live_server.url}/publicity/{staged.item.pk}/comment/")
    question = re.compile(r"\d \+ \d = \?")
    answer = page.locator("#id_captcha_answer")
    content = page.locator("#id_content")
    content.fill("厂区东侧消防通道堆放原料。")
    page.locator("#id_contact_name").fill("钱某某")
    page.locator("#id_contact_phone").fill("电话")
    answer.fill("99")
    page.locator("main form[method=post] button[type=submit]").click()

    # Every mistake at once: the question is still there, answerable, and the typing kept.
    label = page.locator("label[for=id_captcha_answer]")
    expect(label).to_contain_text(question)
    expect(content).to_have_value("厂区东侧消防通道堆放原料。")
    expect(page.locator("#id_contact_name")).to_have_value("钱某某")
    page.screenshot(path=f"test-artifacts/phone-comment-error-{language}.png", full_page=True)

    left, right = re.search(r"(\d) \+ (\d)", label.inner_text()).groups()
    page.locator("#id_contact_phone").fill("13600001111")
    answer.fill(str(int(left) + int(right)))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/received/"))
    context.close()
