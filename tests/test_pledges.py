"""Signing the annual pledge, its routing, and its PDF."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Pledge
from tests.assessment_support import check_pdf, open_cycle, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return open_cycle()


def test_enterprise_signs_the_pledge_with_the_bureaus_text(client_as, world, cycle):
    client = client_as("enterprise")
    page = client.get(reverse("assessments:pledge_sign"))
    assert "郑重承诺" in page.content.decode()
    response = client.post(
        reverse("assessments:pledge_sign"),
        {
            "signatory": "张伟",
            "signatory_title": "总经理",
            "signed_on": timezone.localdate(),
            "agree": "on",
        },
    )
    pledge = Pledge.objects.get(unit=world.unit, cycle=cycle)
    assert response.url == reverse("assessments:pledge_detail", args=[pledge.pk])
    assert pledge.text == cycle.pledge_text
    assert pledge.submitted_by == world.users["enterprise"]


def test_pledge_without_agreement_is_refused_and_keeps_the_input(client_as, world, cycle):
    response = client_as("enterprise").post(
        reverse("assessments:pledge_sign"),
        {"signatory": "张伟", "signatory_title": "", "signed_on": timezone.localdate()},
    )
    body = response.content.decode()
    assert "请确认已阅读并作出承诺" in body
    assert 'value="张伟"' in body
    assert not Pledge.objects.exists()


def test_signing_twice_shows_the_signed_pledge(client_as, world, cycle):
    pledge = sign(cycle, world.unit, world.users["enterprise"])
    response = client_as("enterprise").get(reverse("assessments:pledge_sign"))
    assert response.url == reverse("assessments:pledge_detail", args=[pledge.pk])


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("township", True),
        ("supervisor", True),
        ("bureau", True),
        ("township_other", False),
        ("supervisor_other", False),
    ],
)
def test_pledge_reaches_township_department_and_bureau_dashboards(
    client_as, world, cycle, persona, sees
):
    client_as("enterprise").post(
        reverse("assessments:pledge_sign"),
        {
            "signatory": "张伟",
            "signatory_title": "总经理",
            "signed_on": timezone.localdate(),
            "agree": "on",
        },
    )
    client = client_as(persona)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    listing = client.get(reverse("assessments:pledge_list")).content.decode()
    assert (world.unit.name in dashboard) is sees
    assert (world.unit.name in listing) is sees


def test_pledge_list_query_count_is_constant(
    client_as, world, cycle, django_assert_max_num_queries
):
    from tests.factories import UnitFactory

    client = client_as("bureau")
    for _ in range(3):
        sign(cycle, UnitFactory(), world.users["enterprise"])
    # Sign-in security (session limits, second factor) and the stage banner included.
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("assessments:pledge_list"))
    for _ in range(20):
        sign(cycle, UnitFactory(), world.users["enterprise"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assessments:pledge_list"))


def test_pledge_pdf_renders_in_the_shipped_font(client_as, world, cycle):
    pledge = sign(cycle, world.unit, world.users["enterprise"])
    response = client_as("township").get(reverse("assessments:pledge_pdf", args=[pledge.pk]))
    assert response["Content-Type"] == "application/pdf"
    check_pdf(
        response.content,
        "pledge",
        ["新郑市生产经营单位安全生产诚信建设承诺书", world.unit.name, "郑重承诺", "张伟"],
    )


def test_other_enterprise_cannot_read_the_pledge(client_as, world, cycle):
    pledge = sign(cycle, world.unit, world.users["enterprise"])
    client = client_as("enterprise_other")
    assert client.get(reverse("assessments:pledge_detail", args=[pledge.pk])).status_code == 404
    assert client.get(reverse("assessments:pledge_pdf", args=[pledge.pk])).status_code == 404
