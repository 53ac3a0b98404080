"""Addresses from before the URL prefixes were renamed still lead to the same page."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_old_public_search_link_lands_on_the_search_with_its_query(client_as):
    response = client_as("anonymous").get("/ratings/", {"q": "新郑", "star": "4"})
    assert response.status_code == 301
    assert response["Location"].startswith("/search/?")
    assert "star=4" in response["Location"]


def test_an_old_unit_page_link_lands_on_the_unit_page(client_as, world):
    code = world.unit.credit_code
    response = client_as("anonymous").get(f"/ratings/units/{code}/")
    assert response.status_code == 301
    assert response["Location"] == f"/search/units/{code}/"


def test_an_old_ratings_stage_link_in_a_notification_still_opens_the_page(client_as):
    bureau = client_as("bureau")
    response = bureau.get("/determination/publicity/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "/ratings/publicity/?page=2"
    assert bureau.get("/determination/publicity/", follow=True).status_code == 200


def test_the_redirect_does_not_open_the_page_to_whom_it_is_closed(client_as):
    response = client_as("enterprise").get("/determination/publicity/", follow=True)
    assert response.status_code == 403
