"""axe-core (bundled with axe-playwright-python, offline) in real Chromium: no serious or
critical violation on the public pages and each role's main pages, in Chinese and English."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/about/", "/accounts/login/", "/units/register/", "/accounts/password/reset/"]
ROLE_PAGES = {
    "bureau": ["/dashboard/", "/units/", "/units/import/", "/audit/", "/notifications/"],
    "enterprise": ["/dashboard/", "/units/mine/"],
    "township": ["/dashboard/", "/units/"],
    "supervisor": ["/dashboard/"],
    "expert": ["/dashboard/"],
    "government": ["/dashboard/"],
    "department": ["/dashboard/"],
}
SEVERE = {"serious", "critical"}


def severe_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SEVERE
    ]


def set_language(page, base, language):
    page.goto(base + "/")
    page.select_option("#language-select", language)
    page.click(".lang-switch button[type=submit]")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages(page, live_server, language):
    set_language(page, live_server.url, language)
    found = {}
    for path in PUBLIC_PAGES:
        page.goto(live_server.url + path)
        found[path] = severe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_roles_main_pages(page, live_server, world, language):
    set_language(page, live_server.url, language)
    found = {}
    for persona, paths in ROLE_PAGES.items():
        page.context.clear_cookies()
        set_language(page, live_server.url, language)
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", world.users[persona].username)
        page.fill("#id_password", "Test-pass-123")
        page.click("main button[type=submit]")
        page.wait_for_url("**/dashboard/")
        for path in paths:
            page.goto(live_server.url + path)
            found[f"{persona} {path}"] = severe_violations(page)
    assert {key: v for key, v in found.items() if v} == {}
