"""axe-core (bundled with axe-playwright-python, offline) in real Chromium: no serious or
critical violation on the public pages and each role's main pages, in Chinese and English."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from tests.conftest import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "portal:home",
    "portal:about",
    "portal:login",
    "units:register",
    "portal:password_reset",
    "public:search",
    "stats:public",
    "public_ratings:publicity",
    "public_ratings:results",
    "public_ratings:verify_form",
    "public_ratings:track",
]
ROLE_PAGES = {
    "bureau": [
        "portal:dashboard",
        "units:list",
        "units:import",
        "assessments:queue",
        "assessments:cycle_list",
        "assessments:standard_list",
        "evaluation:board",
        "evaluation:review_list",
        "evaluation:experts",
        "ratings:batch_list",
        "ratings:submission_list",
        "ratings:publication_list",
        "ratings:rerating_list",
        "ratings:repair_list",
        "ratings:display_periods",
        "feedback:tickets",
        "linkage:departments",
        "linkage:deliveries",
        "linkage:supervision",
        "stats:bureau",
    ],
    "enterprise": [
        "portal:dashboard",
        "assessments:pledge_sign",
        "assessments:implementation_mine",
        "assessments:application_mine",
        "ratings:my_items",
        "ratings:repair_mine",
        "feedback:mine",
        "portal:two_factor",
        "portal:two_factor_enrol",
        "portal:sessions",
    ],
    "township": [
        "portal:dashboard",
        "units:list",
        "assessments:pledge_list",
        "linkage:supervision",
    ],
    "supervisor": ["portal:dashboard", "assessments:pledge_list"],
    "expert": ["portal:dashboard", "evaluation:worklist"],
    "government": ["portal:dashboard", "ratings:submission_list", "portal:two_factor_recovery"],
    "department": ["portal:dashboard", "linkage:inbox"],
    "sysadmin": ["portal:dashboard", "portal:user_list", "portal:user_create"],
    "secadmin": ["portal:dashboard", "linkage:departments"],
    "auditadmin": ["portal:dashboard", "portal:audit_log"],
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
    for name in PUBLIC_PAGES:
        page.goto(live_server.url + reverse(name))
        found[name] = severe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_roles_main_pages(page, live_server, world, language):
    set_language(page, live_server.url, language)
    found = {}
    for persona, paths in ROLE_PAGES.items():
        page.context.clear_cookies()
        set_language(page, live_server.url, language)
        sign_in_page(page, live_server.url, world.users[persona].username, "Test-pass-123")
        page.wait_for_url("**/dashboard/")
        for name in paths:
            page.goto(live_server.url + reverse(name))
            found[f"{persona} {name}"] = severe_violations(page)
    assert {key: v for key, v in found.items() if v} == {}
