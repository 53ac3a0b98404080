"""Reading the portal in English: label and value apart, the grade a unit is proposed, cycle
years, industries and departments in English (unit and area names stay as registered)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from assessments.models import Application
from tests.access.ratings import stage
from tests.assessment_support import open_cycle
from tests.publication_support import publish_one as publish

pytestmark = pytest.mark.django_db


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text_of(response) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))


def test_every_label_ending_in_a_colon_keeps_a_space_before_its_value_in_english():
    with translation.override("en"):
        catalogue = translation.trans_real.translation("en")._catalog
        glued = [
            (msgid, text)
            for msgid, text in catalogue.items()
            if isinstance(msgid, str) and msgid.endswith("：") and not text.endswith(": ")
        ]
    assert glued == []


def test_the_application_page_says_who_handles_it_and_the_next_step_with_spaces(client_as, world):
    application = Application.objects.create(cycle=open_cycle(), unit=world.unit)
    page = text_of(
        in_english(client_as("enterprise")).get(
            reverse("assessments:application_detail", args=[application.pk])
        )
    )
    assert re.search(r"Now handled by: \S", page), page
    assert re.search(r"Next step: \S", page)


def test_the_cycle_banner_reads_the_year_in_english_and_the_chinese_name_in_chinese(client):
    open_cycle(year=2026)
    english = text_of(in_english(client).get("/"))
    assert "Current assessment cycle: 2026 ·" in english
    assert "年度" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "当前考核周期：2026年度" in text_of(client.get("/"))


def test_a_rated_units_industry_reads_in_english_and_its_names_stay_as_registered(client, world):
    from units.models import Industry

    world.unit.industry = Industry.objects.get(name="建筑施工")
    world.unit.save(update_fields=["industry"])
    publish(world.unit, 2023, "91.0")
    url = reverse("public:unit", args=[world.unit.credit_code])
    english = text_of(in_english(client).get(url))
    assert "Construction" in english and "建筑施工" not in english
    assert world.unit.name in english and world.unit.area.name in english
    search = in_english(client).get(reverse("public:search"))
    assert '<option value="建筑施工">Construction</option>' in search.content.decode()


def test_a_department_reads_in_english(world):
    from units.models import Department

    finance = Department.objects.get(short_name="财政")
    with translation.override("en"):
        assert str(finance) == "Municipal Finance Bureau"
    assert str(finance) == "市财政局"


def test_the_public_comment_list_names_the_proposed_grade(client, world):
    stage(world)
    page = text_of(in_english(client).get(reverse("public_ratings:publicity")))
    assert "Proposed grade" in page
    assert "Propose grade" not in page
