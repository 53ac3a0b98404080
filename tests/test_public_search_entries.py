"""The public search reads one table of entries written by PostgreSQL triggers
(public/models.py). Whatever path writes a rating, a unit or a listing, the search follows."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from public.models import SearchEntry
from ratings.models import Listing
from tests.factories import UnitFactory
from tests.publication_support import publish_one, publish_results
from units.models import Area

pytestmark = pytest.mark.django_db

SEARCH = reverse("public:search")
COLUMNS = (
    "rating_id, unit_id, unit_name, unit_name_bigrams, credit_code, area_id, industry_id, star, "
    "cycle_year, is_current, display_ends_on"
)


@pytest.fixture(autouse=True)
def _a_day_in_2026_without_the_public_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # each request reads the entries, not a cached page
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)):
        yield


def found(client, **query) -> list[str]:
    response = client.get(SEARCH, query)
    assert response.status_code == 200
    return [card.unit_name for card in response.context["page"]]


def entries_match_their_sources() -> None:
    """Every entry is what the source tables say now, and every rating has one."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {COLUMNS} FROM public_search_entry_source "  # nosec B608
            f"EXCEPT SELECT {COLUMNS} FROM public_searchentry"
        )
        missing = cursor.fetchall()
        cursor.execute(
            f"SELECT {COLUMNS} FROM public_searchentry "  # nosec B608
            f"EXCEPT SELECT {COLUMNS} FROM public_search_entry_source"
        )
        stale = cursor.fetchall()
        # Each current entry's character pairs (SearchPair), one row each, and no others.
        pairs = (
            "SELECT unnest(unit_name_bigrams), unit_name, rating_id, display_ends_on "
            "FROM public_searchentry WHERE is_current"
        )
        cursor.execute(f"{pairs} EXCEPT ALL SELECT * FROM public_searchpair")  # nosec B608
        missing_pairs = cursor.fetchall()
        cursor.execute(f"SELECT * FROM public_searchpair EXCEPT ALL {pairs}")  # nosec B608
        stale_pairs = cursor.fetchall()
    assert (missing, stale, missing_pairs, stale_pairs) == ([], [], [], [])


def test_a_newer_result_makes_the_older_one_history(client):
    unit = UnitFactory(name="新郑市恒远物流有限公司")
    older = publish_one(unit, 2024, "96.0")
    newer = publish_one(unit, 2025, "82.0")
    current = SearchEntry.objects.get(rating=newer)
    assert (current.is_current, current.star, current.cycle_year) == (True, newer.star, 2025)
    assert SearchEntry.objects.get(rating=older).is_current is False
    assert found(client, q="恒远") == [unit.name]
    assert [card.cycle_year for card in client.get(SEARCH, {"q": "恒远"}).context["page"]] == [2025]
    entries_match_their_sources()


def test_a_renamed_or_moved_unit_is_found_by_its_new_name_and_area(client):
    unit = UnitFactory(name="新郑市旧名建材有限公司")
    publish_one(unit, 2025, "91.0")
    away = Area.objects.exclude(pk=unit.area_id).first()
    unit.name = "新郑市新名建材有限公司"
    unit.area = away
    unit.save()
    assert found(client, q="新名") == ["新郑市新名建材有限公司"]
    assert found(client, q="旧名") == []
    assert found(client, area=away.name, q="建材") == ["新郑市新名建材有限公司"]
    entries_match_their_sources()


def test_a_listing_decides_how_long_a_no_star_result_is_found(client):
    unit = UnitFactory(name="新郑市隐患化工有限公司")
    rating = publish_one(unit, 2025, "55.0")
    listing = Listing.objects.get(rating=rating)
    assert SearchEntry.objects.get(rating=rating).display_ends_on == listing.display_ends_on
    assert found(client, q="隐患") == [unit.name]
    Listing.objects.filter(pk=listing.pk).update(display_ends_on=datetime.date(2026, 6, 1))
    assert found(client, q="隐患") == []  # display ended today
    entries_match_their_sources()


@pytest.mark.parametrize("size", [3, 30])
def test_the_search_asks_the_same_number_of_queries_however_many_match(
    client, django_assert_max_num_queries, size
):
    """The page's queries do not grow with the matches: 3 or 30 units with "聚丰" in their
    name, a page of up to 20, counted up to a cap."""
    area = Area.objects.get(name="龙湖镇")
    units = [
        UnitFactory(name=f"新郑市聚丰{number:02d}机械有限公司", area=area) for number in range(size)
    ]
    [rating, *_] = publish_results([(unit, "92.0") for unit in units], year=2025)
    client.get(SEARCH, {"q": "聚丰"})  # the session and language settle
    with django_assert_max_num_queries(9):
        assert len(found(client, q="聚丰")) == min(size, 20)
    with django_assert_max_num_queries(9):
        assert len(found(client, area=area.name, star=str(rating.star))) == min(size, 20)
