"""The English UI on a 1366-pixel desktop: every role's top bar stays on two rows at most."""

import pytest
from django.conf import settings

from tests.assessment_support import open_cycle
from tests.conftest import ensure_reference_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = ["anonymous", "enterprise", "township", "supervisor", "bureau", "expert"]
PERSONAS += ["government", "department"]

ROWS = """() => {
  // Rows of the bar's items: items whose tops differ by more than half a row start a new one.
  const tops = [...document.querySelectorAll('#nav-main > ul > li')]
    .map(item => item.getBoundingClientRect().top).sort((a, b) => a - b);
  let rows = 0, last = -1e9;
  for (const top of tops) { if (top - last > 16) { rows++; last = top; } }
  const brand = document.querySelector('.navbar-brand');
  const range = document.createRange();
  range.selectNodeContents(brand);
  const brandLines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  return {rows, brandLines};
}"""


def test_every_roles_top_bar_stays_on_two_rows_in_english_at_1366(browser, live_server, world):
    from django.test import Client

    ensure_reference_data()
    open_cycle()
    measured = {}
    for persona in PERSONAS:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        if persona != "anonymous":
            client = Client()
            client.force_login(world.users[persona])
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
            )
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(live_server.url + ("/dashboard/" if persona != "anonymous" else "/"))
        assert page.locator("html").get_attribute("lang") == "en"
        measured[persona] = page.evaluate(ROWS)
        context.close()
    too_tall = {
        persona: shape
        for persona, shape in measured.items()
        if shape["rows"] > 2 or shape["brandLines"] > 2
    }
    assert too_tall == {}, measured
