"""A name fragment found in half the city costs what a rare one costs: the count stops at a
cap (portal/paging.py), the page says there are more and asks for a narrower search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UnitFactory
from tests.publication_support import publish_results
from units.models import Area

SEARCH = reverse("public:search")
API = reverse("api:ratings")


@pytest.fixture
def common_fragment(world, settings, monkeypatch):
    settings.PUBLIC_CACHE_SECONDS = 0
    monkeypatch.setattr("portal.paging.COUNT_CAP", 5)  # open data
    monkeypatch.setattr("public.views.search.COUNT_CAP", 5)  # the search page
    publish_results(
        [(UnitFactory(name=f"新郑市常见{index:02d}有限公司"), "90.0") for index in range(8)],
        year=2025,
    )


def test_a_search_with_more_matches_than_the_cap_says_so_and_asks_for_more_detail(
    client, common_fragment
):
    response = client.get(SEARCH, {"q": "常见"})
    assert response.status_code == 200
    assert "超过 5 条结果，请输入更完整的名称或增加筛选条件" in response.text
    names = [card.unit_name for card in response.context["page"].object_list]
    assert names == sorted(names)[:5] and names[0] == "新郑市常见00有限公司"


def test_below_the_cap_the_exact_count_is_shown(client, common_fragment):
    response = client.get(SEARCH, {"q": "常见03"})
    assert "共 1 条结果" in response.text


def test_the_api_counts_a_name_search_up_to_the_cap_and_says_so(client, common_fragment):
    body = client.get(API, {"q": "常见"}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (5, True, 5)
    exact = client.get(API, {"q": "常见03"}).json()
    assert (exact["count"], exact["count_capped"]) == (1, False)
    walk = client.get(API, {"cycle": "all"}).json()
    assert (walk["count"], walk["count_capped"]) == (8, False)  # open-data walks stay exact


def test_a_two_character_fragment_matches_exactly_the_names_holding_it(client, world):
    publish_results(  # 新 and 郑 in the second, never 新郑
        [
            (UnitFactory(name="郑州新能源有限公司"), "90.0"),
            (UnitFactory(name="新华郑州有限公司"), "90.0"),
        ],
        year=2025,
    )
    found = client.get(SEARCH, {"q": "新郑"}).context["page"].object_list
    assert [card.unit_name for card in found] == []
    found = client.get(SEARCH, {"q": "郑州"}).context["page"].object_list
    assert sorted(card.unit_name for card in found) == [
        "新华郑州有限公司",
        "郑州新能源有限公司",
    ]


@pytest.mark.parametrize(("cap", "walk_limit"), [(2, 5000), (2, 1), (2, 2), (100, 5000)])
def test_a_search_lists_by_name_whether_its_matches_are_walked_or_sorted(
    client, world, settings, monkeypatch, cap, walk_limit
):
    """More matches than the count's cap are walked in name order, fewer are sorted, and a walk
    that does not reach the page gives way to the sort (public/results.py search_page): the
    visitor sees the same order whichever way."""
    settings.PUBLIC_CACHE_SECONDS = 0
    monkeypatch.setattr("public.views.search.COUNT_CAP", cap)
    monkeypatch.setattr("public.results.WALK_LIMIT", walk_limit)
    monkeypatch.setattr("public.results.PAIR_WALK_LIMIT", walk_limit)
    names = (
        *("新郑市隆海冶金厂", "郑州隆海有限公司", "河南隆海建材有限公司", "新郑市隆海包装厂"),
        "新郑市隆海物流",
    )
    publish_results([(UnitFactory(name=name), "90.0") for name in names], year=2025)
    in_order = [  # by code point, as the database's C.UTF-8 collation orders them
        "新郑市隆海冶金厂",
        "新郑市隆海包装厂",
        "新郑市隆海物流",
        "河南隆海建材有限公司",
        "郑州隆海有限公司",
    ]
    for fragment in ("隆海", "隆海有", "新郑市隆", "市隆海"):
        response = client.get(SEARCH, {"q": fragment})
        found = [card.unit_name for card in response.context["page"].object_list]
        holding = [name for name in in_order if fragment in name]
        assert found == holding[:cap]


def test_an_area_and_star_are_listed_by_name_up_to_the_cap(client, world, settings, monkeypatch):
    """An area and a star are read in name order from their index (results.py
    ``in_name_order``): the first cap + 1 are the count and every page, others are left out."""
    settings.PUBLIC_CACHE_SECONDS = 0
    monkeypatch.setattr("public.views.search.COUNT_CAP", 3)
    monkeypatch.setattr("public.views.search.PAGE_SIZE", 2)
    town = Area.objects.create(name="试点街道", order=99)
    names = ["试点戊厂", "试点乙厂", "试点甲厂", "试点丁厂", "试点丙厂"]
    publish_results(
        [(UnitFactory(name=name, area=town), 4) for name in names]
        + [(UnitFactory(name="试点三星厂", area=town), 3), (UnitFactory(name="别处四星厂"), 4)],
        year=2025,
    )
    asked = {"area": "试点街道", "star": "4"}
    first = client.get(SEARCH, asked)
    assert "超过 3 条结果，请输入更完整的名称或增加筛选条件" in first.text
    second = client.get(SEARCH, {**asked, "page": "2"})
    found = [
        card.unit_name for page in (first, second) for card in page.context["page"].object_list
    ]
    assert found == sorted(names)[:3]  # by code point, as the C.UTF-8 collation orders them
    assert [
        card.unit_name
        for card in client.get(SEARCH, {**asked, "star": "3"}).context["page"].object_list
    ] == ["试点三星厂"]


def test_a_longer_fragment_whose_pair_is_walked_whole_asks_no_other_index(client, world, settings):
    """When the walk reads all of the rarest pair's holders, the matches among them are all the
    matches: the bigram index is not asked as well (results.py ``_first_by_pair``)."""
    settings.PUBLIC_CACHE_SECONDS = 0
    publish_results([(UnitFactory(name="新郑市冶金机械厂"), 4)], year=2025)
    client.get(SEARCH, {"q": "冶金机"})  # the filter choices are read once a second
    with CaptureQueriesContext(connection) as captured:
        response = client.get(SEARCH, {"q": "冶金机"})
    assert [card.unit_name for card in response.context["page"].object_list] == ["新郑市冶金机械厂"]
    assert not [query for query in captured if "unit_name_bigrams" in query["sql"]]
