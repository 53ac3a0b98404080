"""A unit's page: what the public, a linked department and the enterprise itself see."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from linkage.selectors import forget_rules
from portal.archive import Disclosure, TimelineEntry
from tests.publication_support import publish_one as publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world):
    unit = world.unit
    unit.contact_phone = "13912345678"
    unit.save()
    return [
        publish(unit, 2023, "78.0"),
        publish(unit, 2024, "86.0", revoked_reason="发生生产安全责任死亡事故，撤销评级结果。"),
        publish(unit, 2025, "96.3"),
    ]


def page_url(world):
    return reverse("public:unit", args=[world.unit.credit_code])


def test_public_sees_star_certificate_history_and_revocations_but_no_score(
    client_as, world, history
):
    response = client_as("anonymous").get(page_url(world))
    assert response.status_code == 200
    text = response.text
    assert world.unit.name in text and world.unit.credit_code in text
    assert "五星级" in text and "三星级" in text
    current_certificate = history[2].certificate
    assert current_certificate.number in text
    assert current_certificate.valid_until.strftime("%Y-%m-%d") in text
    assert "发生生产安全责任死亡事故，撤销评级结果。" in text
    for secret in ("96.3", "86.0", "78.0", "综合考评得分", "13912345678", world.unit.contact_name):
        assert secret not in text
    assert "诚信档案" not in text


def test_the_certificate_links_to_its_verification_page(client, world, history):
    certificate = history[2].certificate
    response = client.get(page_url(world))
    assert f'href="/certificates/verify/{certificate.verification_code}/"' in response.text


def test_a_linked_department_also_sees_the_score_and_veto(client_as, world, history):
    publish(world.other_unit, 2025, "90.0", veto=True)
    text = client_as("department").get(page_url(world)).text
    assert "96.3" in text and "综合考评得分" in text
    assert "13912345678" not in text  # contacts are for the unit's own overseers
    other = client_as("department").get(reverse("public:unit", args=[world.other_unit.credit_code]))
    assert "存在否决项" in other.text


def test_the_enterprise_sees_everything_about_itself_and_only_itself(client_as, world, history):
    own = client_as("enterprise").get(page_url(world)).text
    assert "96.3" in own and "13912345678" in own
    foreign = client_as("enterprise_other").get(page_url(world)).text
    assert "96.3" not in foreign and "13912345678" not in foreign


@pytest.mark.parametrize("persona", ["township", "supervisor", "bureau", "government"])
def test_overseers_see_score_and_contacts(client_as, world, history, persona):
    text = client_as(persona).get(page_url(world)).text
    # Contacts are masked until the overseer asks to see them (an audited action).
    assert "96.3" in text and "139****5678" in text and "13912345678" not in text


def test_a_unit_without_a_published_rating_is_not_public(client_as, world):
    url = page_url(world)
    assert client_as("anonymous").get(url).status_code == 404
    assert client_as("enterprise_other").get(url).status_code == 404
    assert client_as("bureau").get(url).status_code == 200
    assert client_as("enterprise").get(url).status_code == 200


def test_an_unknown_credit_code_is_404(client):
    assert client.get(reverse("public:unit", args=["91410184MA00000000"])).status_code == 404


@pytest.fixture
def fake_archive(monkeypatch):
    """A tiny archive contributor standing in for the stages' own (assessments, ratings...)."""
    seen = []

    def entries(unit, level, user):
        seen.append(level)
        found = [TimelineEntry(datetime.date(2024, 3, 1), "签署承诺书", kind="pledge", url="/p/1/")]
        if level >= Disclosure.DEPARTMENT:
            found.append(TimelineEntry(datetime.date(2025, 9, 1), "评估报告", "初评 96.3", "/r/9/"))
        if level == Disclosure.FULL:
            found.append(TimelineEntry(datetime.date(2025, 5, 1), "自评得分 97.0", kind="self"))
        return found

    monkeypatch.setattr("public.archive.CONTRIBUTORS", (entries,))
    return seen


def test_insiders_get_the_archive_timeline_at_their_level(client_as, world, history, fake_archive):
    department = client_as("department").get(page_url(world)).text
    assert "诚信档案" in department and "评估报告" in department
    assert 'href="/r/9/"' in department
    assert "自评得分 97.0" not in department
    own = client_as("enterprise").get(page_url(world)).text
    assert "自评得分 97.0" in own
    # Newest first, grouped by year.
    assert own.index("2025 年") < own.index("2024 年")
    assert own.index("评估报告") < own.index("自评得分 97.0") < own.index("签署承诺书")
    assert fake_archive == [Disclosure.DEPARTMENT, Disclosure.FULL]


def test_the_public_never_calls_the_archive(client, world, history, fake_archive):
    assert "签署承诺书" not in client.get(page_url(world)).text
    assert fake_archive == []


def test_status_changes_from_linkage_are_shown_to_the_public(client, world, history, monkeypatch):
    monkeypatch.setattr(
        "linkage.archive.status_changes",
        lambda unit, ratings=None: [
            TimelineEntry(datetime.date(2026, 2, 1), "解除重点监控", "整改验收合格")
        ],
    )
    monkeypatch.setattr("public.views.units.supervision_tier_for", lambda unit: "self")
    monkeypatch.setattr("public.views.units.public_measures_for", lambda rating: [])
    text = client.get(page_url(world)).text
    assert "解除重点监控" in text and "整改验收合格" in text
    assert "自主管理" not in text  # the supervision tier is for departments up


def test_a_public_page_costs_the_same_few_queries_whatever_the_units_history(
    client, world, history, settings, monkeypatch
):
    """A page nothing caches stays cheap (issue #15): three results with a revocation, or one
    result among more units, read with the same queries."""
    settings.PUBLIC_CACHE_SECONDS = 0
    publish(world.other_unit, 2025, "90.0")

    def queries(unit) -> list[str]:
        url = reverse("public:unit", args=[unit.credit_code])
        client.get(url)  # the cycle banner's stages are kept for a minute (ratings/stage.py)
        forget_rules()  # the linkage rules are kept for a second (linkage/selectors.py)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured]

    one_result = queries(world.other_unit)
    assert len(queries(world.unit)) == len(one_result)
    # The unit with its ratings (and their cycle, certificate, listing, repair and reply),
    # the measures of its result, and the cycle banner.
    assert len([sql for sql in one_result if sql.startswith("SELECT")]) == 3, one_result
    monkeypatch.setattr("linkage.selectors.RULES_KEPT_SECONDS", 60)  # a slow machine's second
    url = reverse("public:unit", args=[world.other_unit.credit_code])
    client.get(url)
    with CaptureQueriesContext(connection) as while_kept:
        client.get(url)
    assert len(while_kept) == 2  # the rules of the same result are not read again
