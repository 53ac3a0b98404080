"""Open data: the JSON API, the CSV download, the Atom feed and the OpenAPI document."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from public.api.openapi import RATING_PROPERTIES
from public.results import PUBLIC_FIELDS
from tests.factories import UnitFactory
from tests.publication_support import publish_one as publish
from tests.publication_support import publish_results, revoke
from units.models import Area, Industry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _within_the_display_period():
    """The helper publishes a year's results on 20 November; a 2025 result without a star is on
    public display for a year from then (key-monitoring listing). These pages are read on a
    day it still is."""
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)):
        yield


API = reverse("api:ratings")
CSV = reverse("api:ratings_csv")
FEED = reverse("api:feed")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def ratings(world):
    food = Industry.objects.get(name="食品生产")
    town = Area.objects.get(name="薛店镇")
    zaoye = UnitFactory(name="新郑市好想你枣业股份有限公司", industry=food, area=town)
    zaoye.contact_phone = "13700001111"
    zaoye.save()
    old = publish(zaoye, 2024, "84.0")
    new, unit, none, revoked = publish_results(
        [
            (zaoye, "95.0"),
            (world.unit, "88.0"),
            (world.other_unit, "92.0", True),
            (UnitFactory(name="新郑市瞒报化工有限公司"), "90.0"),
        ],
        year=2025,
    )
    revoked = revoke(revoked, "瞒报事故。")
    return {"old": old, "new": new, "unit": unit, "none": none, "revoked": revoked}


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_every_field_is_public_and_documented(client, ratings):
    body = client.get(API, {"cycle": "all"}).json()
    assert body["count"] == 5
    for row in body["results"]:
        assert tuple(row) == PUBLIC_FIELDS
    assert tuple(RATING_PROPERTIES) == PUBLIC_FIELDS
    raw = client.get(API).text
    for secret in ("13700001111", "84.0", "95.0", "comprehensive_score", "has_veto", "contact"):
        assert secret not in raw


def test_a_row_reads_as_documented(client, ratings):
    rating = ratings["new"]
    # Half a year after publication: the certificate is within its validity.
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        row = client.get(API, {"credit_code": rating.unit.credit_code, "cycle": "2025"}).json()[
            "results"
        ][0]
    assert row["unit_name"] == "新郑市好想你枣业股份有限公司"
    assert row["area"] == "薛店镇" and row["industry"] == "食品生产"
    assert (row["cycle"], row["cycle_name"], row["star"]) == (2025, "2025年度", 5)
    assert row["certificate_number"] == rating.certificate.number
    assert row["certificate_status"] == "valid"
    assert row["revoked"] is False and row["revocation_reason"] is None
    assert row["url"].endswith(reverse("public:unit", args=[rating.unit.credit_code]))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"name": "枣业"}, ["new"]),
        ({"name": "枣业", "cycle": "all"}, ["old", "new"]),
        ({"name": "枣业", "cycle": "2024"}, ["old"]),
        ({"star": "0"}, ["none"]),
        ({"star": "4", "cycle": "2025"}, ["unit", "revoked"]),
        ({"area": "薛店镇", "star": "5"}, ["new"]),
        ({"industry": "食品生产", "cycle": "all"}, ["old", "new"]),
        ({"q": "化工"}, ["revoked"]),
    ],
)
def test_filters(client, ratings, params, expected):
    assert ids(client.get(API, params)) == [ratings[key].pk for key in expected]


def test_without_a_cycle_the_credit_code_answers_the_rating_in_force(client, ratings):
    """A bank's approval system asks by credit code alone: after the 2026 results are
    published it still gets the unit's 2025 result, which no 2026 result replaced."""
    publish(UnitFactory(name="新郑市新一年度有限公司"), 2026, "90.0")
    code = ratings["unit"].unit.credit_code
    assert ids(client.get(API, {"credit_code": code})) == [ratings["unit"].pk]
    zaoye = ratings["new"].unit.credit_code
    assert ids(client.get(API, {"credit_code": zaoye})) == [ratings["new"].pk]
    assert ids(client.get(API, {"credit_code": zaoye, "cycle": "all"})) == [
        ratings["old"].pk,
        ratings["new"].pk,
    ]


def test_credit_code_filter_forgives_spaces_and_case(client, ratings):
    code = ratings["unit"].unit.credit_code
    assert ids(client.get(API, {"credit_code": f" {code.lower()}"})) == [ratings["unit"].pk]


def test_a_revoked_rating_carries_its_reason(client, ratings):
    row = client.get(API, {"q": "瞒报"}).json()["results"][0]
    assert row["revoked"] is True and row["revocation_reason"] == "瞒报事故。"
    assert row["certificate_status"] == "revoked"


def test_pages_are_stable_and_complete(client, ratings):
    first = client.get(API, {"page_size": 2, "cycle": "all"}).json()
    assert (first["count"], first["num_pages"], first["previous"]) == (5, 3, None)
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    seen = []
    url = API + "?page_size=2&cycle=all"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert seen == sorted(seen) and len(set(seen)) == 5


def test_a_capped_two_character_search_pages_every_reachable_result_in_order(
    client, world, monkeypatch
):
    """A fragment held by more names than the open data counts: its count stops at the cap,
    and the pages up to the cap list the first holders in publication order."""
    monkeypatch.setattr("portal.paging.COUNT_CAP", 4)
    # Names in the reverse of publication order: the pages follow the ids, not the names.
    units = [UnitFactory(name=f"新郑市第{9 - index}精细化工有限公司") for index in range(7)]
    ratings = publish_results([(unit, "96.0") for unit in units], year=2025)
    first = client.get(API, {"q": "化工", "page_size": 3}).json()
    second = client.get(API, {"q": "化工", "page_size": 3, "page": 2}).json()
    assert (first["count"], first["num_pages"]) == (4, 2)
    listed = [row["id"] for row in first["results"] + second["results"]]
    assert listed == sorted(rating.pk for rating in ratings)[:4]
    assert client.get(API, {"q": "化工", "page_size": 3, "page": 3}).status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"star": "2"}, "star"),
        ({"area": "火星"}, "area"),
        ({"industry": "\x00"}, "industry"),
        ({"cycle": "1990"}, "cycle"),
        ({"cycle": "20x5"}, "cycle"),
        ({"page": "0"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"name": "x" * 101}, "name"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, ratings, params, field):
    response = client.get(API, params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_a_page_past_the_end_is_a_404(client, ratings):
    response = client.get(API, {"page": "9"})
    assert response.status_code == 404
    assert "page" in response.json()["errors"]


def test_api_query_count_does_not_grow_with_the_rows(
    client, world, settings, django_assert_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 0  # count the database work, not the cache's

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API, {"page_size": "100"}).status_code == 200
        return len(captured)

    publish_results([(UnitFactory(), "96.0") for _index in range(5)], year=2025)
    five = count()
    publish_results(
        [(UnitFactory(), "80.0" if index % 2 else "60.0") for index in range(45)], year=2025
    )
    with django_assert_num_queries(five):
        assert client.get(API, {"page_size": "100"}).json()["count"] == 50


def test_csv_opens_in_excel_utf8_with_bom_and_the_same_fields(client, ratings):
    response = client.get(CSV, {"cycle": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == PUBLIC_FIELDS
    assert len(rows) == 4
    zaoye = next(row for row in rows if row["unit_name"] == "新郑市好想你枣业股份有限公司")
    assert zaoye["star"] == "5" and zaoye["revoked"] == "false"
    assert b"13700001111" not in raw


def test_csv_refuses_bad_filters(client, ratings):
    assert client.get(CSV, {"star": "9"}).status_code == 400


def test_the_feed_is_valid_atom_with_publications_and_revocations(client, ratings):
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    assert feed.find(f"{ATOM}link").get("href")
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert any("2025年度" in title and "4 家" in title for title in titles)
    assert any("2024年度" in title for title in titles)
    assert any(title.startswith("撤销：新郑市瞒报化工有限公司") for title in titles)
    updated = [entry.find(f"{ATOM}updated").text for entry in entries]
    assert updated == sorted(updated, reverse=True)  # the newest event first
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text
        assert entry.find(f"{ATOM}link").get("href")
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == len(entries)


def test_an_empty_feed_is_still_valid(client, db):
    feed = ET.fromstring(client.get(FEED).content)
    assert feed.find(f"{ATOM}updated").text and feed.findall(f"{ATOM}entry") == []


def routes(resolver=None, prefix=""):
    from django.urls import URLPattern, URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


def test_the_openapi_document_describes_every_api_endpoint(client, db):
    document = client.get(reverse("api:openapi")).json()
    assert document["openapi"].startswith("3.1")
    documented = {
        re.sub(r"\{[^}]+\}", "{}", path.lstrip("/").rstrip("/")) for path in document["paths"]
    }
    api_routes = {
        re.sub(r"<(?:[^:>]+:)?[^>]+>", "{}", route.rstrip("/"))
        for route in routes()
        if route.startswith(("api/", "feeds/"))
    }
    assert "api/v1/ratings" in api_routes and "feeds/ratings.atom" in api_routes
    assert api_routes <= documented, "every API route is in /api/v1/openapi.json"


def test_the_openapi_document_merges_linkage(client, db):
    document = client.get(reverse("api:openapi")).json()
    assert "/api/v1/units/{credit_code}/rating" in document["paths"]
    assert "UnitRating" in document["components"]["schemas"]
    assert "Rating" in document["components"]["schemas"]


def test_a_revocation_reason_is_sent_as_text_not_html(client, world):
    reason = '<img src=x onerror="alert(1)"> 瞒报 & 谎报'
    publish(UnitFactory(name="新郑市瞒报二号化工有限公司"), 2025, "90.0", revoked_reason=reason)
    feed = ET.fromstring(client.get(FEED).content)
    summaries = [entry.find(f"{ATOM}summary") for entry in feed.findall(f"{ATOM}entry")]
    revocation = next(summary for summary in summaries if "瞒报 &" in summary.text)
    assert revocation.get("type") == "text"
    assert revocation.text.endswith(reason)
    assert all(summary.get("type") == "text" for summary in summaries)
