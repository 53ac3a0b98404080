"""The bureau opens the annual cycle and moves it through its phases; everyone sees the phase."""

import pytest
from django.urls import reverse

from assessments.models import Cycle
from tests.assessment_support import default_standard, open_cycle

pytestmark = pytest.mark.django_db


def cycle_form(**overrides):
    data = {
        "year": 2030,
        "name": "2030年度",
        "standard": default_standard().pk,
        "pledge_deadline": "2030-03-31",
        "application_deadline": "2030-09-30",
        "comment_start": "2030-11-01",
        "comment_end": "2030-11-10",
        "pledge_text": "本单位郑重承诺……",
        "gap_threshold": "10.0",
    }
    return data | overrides


def test_bureau_opens_a_cycle_and_the_phase_shows_on_the_portal(client_as, world):
    client = client_as("bureau")
    response = client.post(reverse("assessments:cycle_open"), cycle_form())
    assert response.url == reverse("assessments:cycle_list")
    cycle = Cycle.objects.get()
    assert cycle.is_open and cycle.opened_by == world.users["bureau"]
    home = client_as("anonymous").get(reverse("portal:home")).content.decode()
    assert "2030年度" in home and "宣传培训" in home


def test_second_open_cycle_is_refused(client_as, world):
    open_cycle()
    response = client_as("bureau").post(reverse("assessments:cycle_open"), cycle_form())
    assert "请先结束当前周期" in response.content.decode()
    assert Cycle.objects.count() == 1


def test_dates_out_of_order_are_refused_naming_the_field(client_as, world):
    response = client_as("bureau").post(
        reverse("assessments:cycle_open"), cycle_form(comment_end="2030-10-01")
    )
    assert "意见征询结束日期不能早于开始日期" in response.content.decode()
    assert not Cycle.objects.exists()


def test_bureau_advances_the_phase_and_closes_the_cycle(client_as, world):
    cycle = open_cycle(phase=Cycle.Phase.PUBLICATION)
    client = client_as("bureau")
    url = reverse("assessments:cycle_advance", args=[cycle.pk])
    client.post(url, {"expected_phase": "publication"})
    cycle.refresh_from_db()
    assert cycle.phase == Cycle.Phase.CLOSED and not cycle.is_open


def test_stale_phase_form_is_refused(client_as, world):
    cycle = open_cycle(phase=Cycle.Phase.PUBLICITY)
    client = client_as("bureau")
    url = reverse("assessments:cycle_advance", args=[cycle.pk])
    client.post(url, {"expected_phase": "publicity"})
    response = client.post(url, {"expected_phase": "publicity"}, follow=True)
    assert "本次操作未执行" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.phase == Cycle.Phase.IMPLEMENTATION


def test_get_does_not_advance(client_as, world):
    cycle = open_cycle(phase=Cycle.Phase.PUBLICITY)
    response = client_as("bureau").get(reverse("assessments:cycle_advance", args=[cycle.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("persona", ["enterprise", "township", "government", "expert"])
def test_only_the_bureau_runs_cycles(client_as, world, persona):
    cycle = open_cycle(phase=Cycle.Phase.PUBLICITY)
    client = client_as(persona)
    assert client.post(reverse("assessments:cycle_open"), cycle_form()).status_code == 403
    url = reverse("assessments:cycle_advance", args=[cycle.pk])
    assert client.post(url, {"expected_phase": "publicity"}).status_code == 403


def test_implementation_records_reach_township_and_bureau(client_as, world):
    open_cycle(phase=Cycle.Phase.IMPLEMENTATION)
    client = client_as("enterprise")
    client.post(
        reverse("assessments:implementation_mine"),
        {
            "form": "plan",
            "plan-plan": "全年诚信建设工作方案",
            "plan-group_leader": "张伟",
            "plan-group_members": "李娜 安全员",
        },
    )
    client.post(
        reverse("assessments:implementation_mine"),
        {
            "form": "check",
            "check-production_unit": "一号车间",
            "check-month": "2026-03-15",
            "check-result": "合格",
            "check-checked_by": "李娜",
        },
    )
    url = reverse("assessments:implementation_unit", args=[world.unit.pk])
    for persona in ("township", "bureau"):
        page = client_as(persona).get(url).content.decode()
        assert "全年诚信建设工作方案" in page and "一号车间" in page
    assert client_as("township_other").get(url).status_code == 404
