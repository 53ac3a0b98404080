"""Every demo role, in Chinese and English, on a desktop and a phone, tours its pages and meets
no defect the tour can see (scripts/tour.py: HTTP and console errors, sideways scrolling,
squeezed Chinese in tables, rejected date values, Chinese on English pages outside data, broken
images and missing assets).

Screenshots of every page: test-artifacts/tour/<role>/<lang>-<width>/; report beside them.
Findings that are known and not yet fixed are named one by one in tests/tour_allowlist.txt.
"""

import importlib.util
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import transaction

from tests.conftest import ensure_reference_data

ROOT = Path(__file__).resolve().parent.parent
ALLOWLIST = Path(__file__).with_name("tour_allowlist.txt")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def load_tour():
    spec = importlib.util.spec_from_file_location("tour", ROOT / "scripts" / "tour.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["tour"] = module
    spec.loader.exec_module(module)
    return module


def allowed_findings() -> list[tuple[str, str, re.Pattern, str]]:
    """Lines of ``check | role | url path regex | detail substring  # why`` (fields split on " | "); ``*`` is any role."""
    entries = []
    for line in ALLOWLIST.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            check, role, path, detail = (part.strip() for part in line.split(" | "))
            entries.append((check, role, re.compile(path), detail))
    return entries


def is_allowed(finding, entries) -> bool:
    path = "/" + finding.url.split("/", 3)[3]
    return any(
        finding.check == check
        and role in ("*", finding.role)
        and pattern.fullmatch(path)
        and detail in finding.detail
        for check, role, pattern, detail in entries
    )


@pytest.fixture
def short_lived_connections():
    """The live server opens a thread, hence a connection, per request: close each at the end
    of its request instead of leaving hundreds open on a PostgreSQL shared with others."""
    from django.db import connections

    database = connections.settings["default"]
    max_age, database["CONN_MAX_AGE"] = database["CONN_MAX_AGE"], 0
    yield
    database["CONN_MAX_AGE"] = max_age


def seed_demo():
    """What ``manage.py seed_demo`` does (its production guard reads SETTINGS_MODULE, which the
    test settings override hides)."""
    from portal.demo import STEPS

    for step in STEPS:
        with transaction.atomic():
            step.run(lambda line: None)


def test_every_role_tours_its_pages_in_both_languages_on_desktop_and_phone(
    short_lived_connections, live_server
):
    ensure_reference_data()  # an earlier transactional test may have flushed it
    seed_demo()
    tour = load_tour()
    data = tour.data_strings()
    # Playwright's async API gets a thread of its own: the session's sync Playwright (other
    # browser tests) keeps its event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(tour.run_tour, live_server.url, data=data).result()

    print(f"tour: {result.screenshots} screenshots in {result.seconds:.0f} s")
    assert all(result.pages.get(role) for role in tour.ROLES), result.pages
    entries = allowed_findings()
    remaining = [finding for finding in result.findings if not is_allowed(finding, entries)]
    remaining_result = tour.TourResult(remaining, result.pages, result.screenshots, result.seconds)
    assert not remaining, tour.summarise(remaining_result)
