"""The scoring standard as data: versions, a total of 100, frozen once a cycle uses it."""

import pytest
from django.urls import reverse

from assessments.models import ScoringStandard, StandardItem
from assessments.services.standards import copy_standard
from tests.assessment_support import default_standard, open_cycle

pytestmark = pytest.mark.django_db


def editor_data(standard, change=None):
    """The editor form as posted back unchanged, with ``change(item_index, data)`` applied."""
    data = {"name": standard.name, "version": standard.version}
    categories = list(standard.categories.all())
    data |= {
        "categories-TOTAL_FORMS": len(categories),
        "categories-INITIAL_FORMS": len(categories),
    }
    for index, category in enumerate(categories):
        data |= {
            f"categories-{index}-id": category.pk,
            f"categories-{index}-code": category.code,
            f"categories-{index}-name": category.name,
            f"categories-{index}-order": category.order,
        }
    items = list(standard.items())
    data |= {"items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": len(items)}
    for index, item in enumerate(items):
        data |= {
            f"items-{index}-id": item.pk,
            f"items-{index}-category": item.category_id,
            f"items-{index}-code": item.code,
            f"items-{index}-text": item.text,
            f"items-{index}-max_points": str(item.max_points),
            f"items-{index}-order": item.order,
        }
    vetoes = list(standard.vetoes.all())
    data |= {"vetoes-TOTAL_FORMS": len(vetoes), "vetoes-INITIAL_FORMS": len(vetoes)}
    for index, veto in enumerate(vetoes):
        data |= {
            f"vetoes-{index}-id": veto.pk,
            f"vetoes-{index}-code": veto.code,
            f"vetoes-{index}-text": veto.text,
            f"vetoes-{index}-order": veto.order,
        }
    if change:
        change(data)
    return data


def test_default_standard_totals_100_with_five_categories_and_six_vetoes():
    standard = default_standard()
    assert standard.total_points() == 100
    assert [c.name for c in standard.categories.all()] == [
        "制度建设",
        "组织建设",
        "文化建设",
        "安全保障",
        "监督管理",
    ]
    assert standard.vetoes.count() == 6


def test_list_and_detail_agree_on_the_total_of_a_version_two_cycles_use(client_as, world):
    open_cycle(2025, is_open=False)
    open_cycle(2026)
    standard = default_standard()
    client = client_as("bureau")
    listed = client.get(reverse("assessments:standard_list")).content.decode()
    detail = client.get(reverse("assessments:standard_detail", args=[standard.pk]))
    assert "100.0" in listed and "200.0" not in listed and "不等于100" not in listed
    assert "满分合计：100.0 分" in detail.content.decode()


def test_bureau_copies_a_version_and_edits_the_copy(client_as, world):
    client = client_as("bureau")
    response = client.post(
        reverse("assessments:standard_copy", args=[default_standard().pk]), {"version": "v2"}
    )
    copy = ScoringStandard.objects.get(version="v2")
    assert response.url == reverse("assessments:standard_edit", args=[copy.pk])
    assert copy.total_points() == 100 and copy.based_on == default_standard()

    def move_a_point(data):  # 1.1: 5 → 4, 1.2: 4 → 5, total stays 100
        data["items-0-max_points"], data["items-1-max_points"] = "4", "5"
        data["vetoes-0-text"] = "考核周期内发生生产安全责任死亡事故（含承包单位）"

    response = client.post(
        reverse("assessments:standard_edit", args=[copy.pk]), editor_data(copy, move_a_point)
    )
    assert response.status_code == 302
    first, second = list(copy.items())[:2]
    assert (first.max_points, second.max_points) == (4, 5)
    assert "承包单位" in copy.vetoes.first().text
    # The original is untouched.
    assert list(default_standard().items())[0].max_points == 5


def test_total_not_100_is_refused_with_the_total_in_the_message(client_as, world):
    copy = copy_standard(standard=default_standard(), version="v2")

    def raise_one(data):
        data["items-0-max_points"] = "7.5"

    response = client_as("bureau").post(
        reverse("assessments:standard_edit", args=[copy.pk]), editor_data(copy, raise_one)
    )
    assert response.status_code == 400
    assert "各评分项满分之和应为100分，当前为102.5分" in response.content.decode()
    assert list(copy.items())[0].max_points == 5


def test_deleting_an_item_without_rebalancing_is_refused(client_as, world):
    copy = copy_standard(standard=default_standard(), version="v2")
    before = StandardItem.objects.filter(category__standard=copy).count()

    def delete_first(data):
        data["items-0-DELETE"] = "on"

    response = client_as("bureau").post(
        reverse("assessments:standard_edit", args=[copy.pk]), editor_data(copy, delete_first)
    )
    assert "当前为95.0分" in response.content.decode()
    assert StandardItem.objects.filter(category__standard=copy).count() == before


def test_version_used_by_a_cycle_is_frozen(client_as, world):
    standard = default_standard()
    open_cycle()
    client = client_as("bureau")
    response = client.get(reverse("assessments:standard_edit", args=[standard.pk]))
    assert response.url == reverse("assessments:standard_detail", args=[standard.pk])
    response = client.post(
        reverse("assessments:standard_edit", args=[standard.pk]), editor_data(standard)
    )
    assert response.status_code == 302
    assert "不能修改" in client.get(response.url).content.decode()


def test_cycle_cannot_open_with_a_standard_not_totalling_100(client_as, world):
    copy = copy_standard(standard=default_standard(), version="v2")
    StandardItem.objects.filter(category__standard=copy, code="1.1").update(max_points=1)
    response = client_as("bureau").post(
        reverse("assessments:cycle_open"),
        {
            "year": 2031,
            "name": "2031年度",
            "standard": copy.pk,
            "pledge_deadline": "2031-03-31",
            "application_deadline": "2031-09-30",
            "comment_start": "2031-11-01",
            "comment_end": "2031-11-10",
            "pledge_text": "承诺",
            "gap_threshold": "10",
        },
    )
    assert "当前为96.0分" in response.content.decode()


@pytest.mark.parametrize("persona", ["enterprise", "township", "expert", "government"])
def test_only_the_bureau_edits_standards(client_as, world, persona):
    copy = copy_standard(standard=default_standard(), version="v2")
    response = client_as(persona).post(
        reverse("assessments:standard_edit", args=[copy.pk]), editor_data(copy)
    )
    assert response.status_code == 403
