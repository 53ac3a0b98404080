"""A member of the public looks up published ratings."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UnitFactory
from tests.publication_support import publish_one as publish
from tests.publication_support import publish_results
from units.models import Area, Industry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _within_the_display_period():
    """The helper publishes a year's results on 20 November; a 2025 result without a star is on
    public display for a year from then (key-monitoring listing). These pages are read on a
    day it still is."""
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)):
        yield


SEARCH = reverse("public:search")


@pytest.fixture
def rated(db):
    chem = Industry.objects.get(name="危险化学品")
    town = Area.objects.get(name="龙湖镇")
    units = {
        "xinzheng": UnitFactory(name="新郑市鑫源化工有限公司", industry=chem, area=town),
        "henan": UnitFactory(name="河南华安建筑工程有限公司"),
        "zhengzhou": UnitFactory(name="郑州恒泰机械制造有限公司"),
    }
    publish(units["xinzheng"], 2024, "88.0")
    publish_results(
        [(units["xinzheng"], "96.5"), (units["henan"], "80.0"), (units["zhengzhou"], "70.0")],
        year=2025,
        # Today: the no-star result's public display ends a year after publication.
        published_on=timezone.localdate(),
    )
    return units


def names(response) -> list[str]:
    return [card.unit_name for card in response.context["page"]]


def test_a_two_character_fragment_finds_the_unit(client, rated):
    response = client.get(SEARCH, {"q": "新郑"})
    assert response.status_code == 200
    assert names(response) == ["新郑市鑫源化工有限公司"]
    assert "五星级" in response.text


def test_a_fragment_from_the_middle_of_the_name_finds_the_unit(client, rated):
    assert names(client.get(SEARCH, {"q": "化工"})) == ["新郑市鑫源化工有限公司"]
    assert names(client.get(SEARCH, {"q": "华安建筑"})) == ["河南华安建筑工程有限公司"]


def test_characters_in_the_wrong_order_find_nothing(client, rated):
    response = client.get(SEARCH, {"q": "工化"})
    assert names(response) == []
    assert "没有符合条件的评级结果" in response.text


@pytest.mark.parametrize("text", ["' OR 1=1 --", "%", "_", "%' OR name LIKE '%"])
def test_sql_and_wildcard_text_is_searched_for_literally(client, rated, text):
    """Three units are published: text that would match everything as SQL or as a LIKE
    pattern matches none of them."""
    assert names(client.get(SEARCH, {"q": text})) == []
    assert len(names(client.get(SEARCH))) == 3


def test_the_credit_code_finds_the_unit_even_typed_in_lower_case(client, rated):
    code = rated["henan"].credit_code
    assert names(client.get(SEARCH, {"q": f" {code.lower()} "})) == ["河南华安建筑工程有限公司"]


def test_a_result_in_force_is_found_after_a_newer_cycle_publishes(client, rated):
    """A bank checks a supplier rated in 2025 after the first 2026 results are out: the
    default search still finds it, by credit code and by name."""
    publish(UnitFactory(name="新郑市新一年度建材有限公司"), 2026, "88.0")
    code = rated["henan"].credit_code
    by_code = client.get(SEARCH, {"q": code})
    assert names(by_code) == ["河南华安建筑工程有限公司"]
    assert "2025年度" in by_code.text and "共 1 条结果" in by_code.text
    assert names(client.get(SEARCH, {"q": "华安"})) == ["河南华安建筑工程有限公司"]
    assert len(names(client.get(SEARCH))) == 4
    assert names(client.get(SEARCH, {"cycle": "2026"})) == ["新郑市新一年度建材有限公司"]


def test_a_newer_result_replaces_the_older_one_in_the_default_view(client, rated):
    publish(rated["henan"], 2026, "96.0")
    found = client.get(SEARCH, {"q": "华安"})
    assert [card.cycle_year for card in found.context["page"]] == [2026]
    assert "五星级" in found.text


def test_latest_result_per_unit_is_shown_unless_all_years_are_asked_for(client, rated):
    assert len(client.get(SEARCH).context["page"].object_list) == 3
    every_year = client.get(SEARCH, {"q": "鑫源", "cycle": "all"})
    assert [card.cycle_year for card in every_year.context["page"]] == [2025, 2024]
    older = client.get(SEARCH, {"cycle": "2024"})
    assert names(older) == ["新郑市鑫源化工有限公司"]


def test_filters_by_area_industry_and_star(client, rated):
    assert names(client.get(SEARCH, {"area": "龙湖镇", "star": "5"})) == ["新郑市鑫源化工有限公司"]
    assert names(client.get(SEARCH, {"area": "龙湖镇", "star": "4"})) == []
    assert names(client.get(SEARCH, {"industry": "危险化学品"})) == ["新郑市鑫源化工有限公司"]
    no_star = client.get(SEARCH, {"star": "0"})
    assert names(no_star) == ["郑州恒泰机械制造有限公司"]
    assert "无星级" in no_star.text


def test_revoked_results_stay_listed_with_a_badge(client, world):
    publish(world.unit, 2025, "90.0", revoked_reason="申报材料弄虚作假。")
    response = client.get(SEARCH)
    assert "已撤销" in response.text


def test_bad_input_is_refused_with_a_message_naming_the_field(client, rated):
    response = client.get(SEARCH, {"star": "6", "cycle": "1999"})
    assert response.status_code == 400
    assert "没有 1999 年度的考核周期" in response.text
    assert "6" in response.text  # Django's message names the refused choice
    unknown = client.get(SEARCH, {"area": "火星", "industry": "龙湖镇"})
    assert unknown.status_code == 400
    assert "火星 不在可用的选项中" in unknown.text and "龙湖镇 不在可用的选项中" in unknown.text


def test_the_result_links_to_the_unit_page(client, rated):
    response = client.get(SEARCH, {"q": "鑫源"})
    assert reverse("public:unit", args=[rated["xinzheng"].credit_code]) in response.text


def test_a_card_shows_markup_in_a_name_as_text(client, db):
    unit = UnitFactory(name='<b>"恒&远"</b><script>alert(1)</script>有限公司')
    publish(unit, 2025, "96.5")
    response = client.get(SEARCH, {"q": "恒&远"})
    assert names(response) == [unit.name]
    assert "&lt;b&gt;&quot;恒&amp;远&quot;&lt;/b&gt;&lt;script&gt;" in response.text
    assert "<script>alert" not in response.text
    card = response.text.split('class="list-unstyled result-list"', 1)[1].split("</ol>", 1)[0]
    assert card.count("<li ") == 1 and "五星级" in card and "证书编号" in card


def test_cards_are_in_english_for_an_english_reader(client, rated):
    client.cookies["django_language"] = "en"
    response = client.get(SEARCH, {"q": "鑫源"})
    card = response.text.split('class="list-unstyled result-list"', 1)[1].split("</ol>", 1)[0]
    assert "Credit code" in card and "Five stars" in card and "Valid" in card
    for chinese in ("信用代码", "考核年度", "行业", "证书编号", "五星级", "有效", "危险化学品"):
        assert chinese not in card


def test_the_filter_choices_are_read_once_a_second_and_again_after_a_publication(
    client, rated, settings
):
    settings.PUBLIC_CACHE_SECONDS = 0  # the process keeps them even without the shared cache

    def choice_reads(query: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(SEARCH, query).status_code == 200
        return sum("WITH RECURSIVE rated" in query["sql"] for query in captured)

    choice_reads({"q": "新郑"})
    assert choice_reads({"q": "河南"}) == 0
    town = Area.objects.create(name="新设街道", order=99)
    publish(UnitFactory(name="新设精细化工有限公司", area=town), 2025, "96.0")
    assert choice_reads({"area": "新设街道"}) == 1  # the new area is a choice at once
    assert names(client.get(SEARCH, {"area": "新设街道"})) == ["新设精细化工有限公司"]


def test_paging_keeps_the_filters(client, world):
    publish_results(
        [(UnitFactory(name=f"新郑市分页测试{index:02d}有限公司"), "90.0") for index in range(25)],
        year=2025,
    )
    first = client.get(SEARCH, {"q": "分页"})
    assert first.context["page"].paginator.count == 25
    assert "q=%E5%88%86%E9%A1%B5&amp;page=2" in first.text
    second = client.get(SEARCH, {"q": "分页", "page": "2"})
    assert len(second.context["page"].object_list) == 5


def test_a_get_only_page_refuses_post(client, rated):
    assert client.post(SEARCH).status_code == 405


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_rows(
    client, world, settings, django_assert_num_queries
):
    settings.PUBLIC_CACHE_SECONDS = 0  # count the database work, not the cache's
    publish_results(
        [(UnitFactory(name=f"新郑市计数{index:02d}有限公司"), "96.0") for index in range(5)],
        year=2025,
    )
    five = count_queries(client, SEARCH, {"q": "计数"})
    publish_results(
        [(UnitFactory(name=f"新郑市计数{index:02d}有限公司"), "86.0") for index in range(5, 50)],
        year=2025,
    )
    with django_assert_num_queries(five):
        response = client.get(SEARCH, {"q": "计数"})
    assert response.context["page"].paginator.count == 50


def test_a_revoked_older_result_is_still_replaced_by_the_next_one(client, world):
    """The database marks the older result superseded even when it was revoked (the
    immutability trigger lets only that column change, once)."""
    old = publish(world.unit, 2024, "90.0", revoked_reason="瞒报事故。")
    publish(world.unit, 2025, "86.0")
    old.refresh_from_db()
    assert old.superseded_on is not None
    found = client.get(SEARCH, {"q": world.unit.credit_code})
    assert [card.cycle_year for card in found.context["page"]] == [2025]
    assert "已撤销" not in found.text
