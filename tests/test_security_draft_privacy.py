"""A draft is the enterprise's own until it is submitted: nobody else reads it or its files.

Township, supervising department and bureau read an application from its submission on; files
added while a returned application is back with the enterprise stay private until it is
submitted again.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Application, Evidence, Status
from tests.assessment_support import open_cycle, pdf_upload, sign
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
OTHERS = ("township", "supervisor", "bureau")


@pytest.fixture
def draft(world, client_as):
    cycle = open_cycle()
    sign(cycle, world.unit, world.users["enterprise"])
    application = Application.objects.create(cycle=cycle, unit=world.unit)
    target = next(iter(cycle.standard.items()))
    client_as("enterprise").post(
        reverse("assessments:self_assessment", args=[application.pk]),
        {f"item-{target.pk}-files": [pdf_upload()], "then": "save"},
    )
    return application, Evidence.objects.get(application=application)


def reader(world, persona) -> Client:
    client = Client()
    sign_in(client, world.users[persona])
    return client


def urls(application, evidence):
    return [
        reverse("assessments:application_detail", args=[application.pk]),
        reverse("assessments:evidence_download", args=[application.pk, evidence.pk]),
    ]


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_but_the_enterprise_reads_a_draft_or_its_files(world, draft, persona):
    application, evidence = draft
    for url in urls(application, evidence):
        assert reader(world, persona).get(url).status_code == 404, url
        assert reader(world, "enterprise").get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OTHERS)
def test_once_submitted_the_units_readers_see_it(world, draft, persona):
    application, evidence = draft
    Application.objects.filter(pk=application.pk).update(
        status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    for url in urls(application, evidence):
        assert reader(world, persona).get(url).status_code == 200, url


def test_files_added_after_a_return_stay_private_until_resubmitted(world, draft):
    application, first = draft
    Application.objects.filter(pk=application.pk).update(
        status=Status.RETURNED, submitted_at=timezone.now()
    )
    later = Evidence.objects.create(
        application=application,
        item=first.item,
        file=first.file.name,
        original_name="补充.pdf",
        content_type="application/pdf",
        size=first.size,
        sha256=first.sha256,
        uploaded_by=world.users["enterprise"],
    )
    bureau = reader(world, "bureau")
    page = bureau.get(reverse("assessments:application_detail", args=[application.pk]))
    assert page.status_code == 200 and "补充.pdf" not in page.content.decode()
    url = reverse("assessments:evidence_download", args=[application.pk, later.pk])
    assert bureau.get(url).status_code == 404
    assert reader(world, "enterprise").get(url).status_code == 200
