"""A replayed or stale form changes nothing twice; a form sent after logout changes nothing."""

import pytest
from django.urls import reverse

from assessments.models import Application, ApplicationTransition, Status
from assessments.services import self_assessment
from tests.assessment_support import complete_draft, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world):
    application = complete_draft(open_cycle(), world.unit, world.users["enterprise"])
    return self_assessment.submit(
        application=application, actor=world.users["enterprise"], expected_status=Status.DRAFT
    )


def accept(client, application):
    return client.post(
        reverse("assessments:accept", args=[application.pk]),
        {"expected_status": "submitted"},
        follow=True,
    )


def test_accepting_twice_is_told_and_recorded_once(client_as, submitted):
    bureau = client_as("bureau")
    accept(bureau, submitted)
    second = accept(bureau, submitted).content.decode()
    assert "本次操作未执行" in second
    assert Application.objects.get(pk=submitted.pk).status == Status.ACCEPTED
    assert ApplicationTransition.objects.filter(application=submitted, name="accept").count() == 1


def test_a_form_sent_after_logout_goes_to_login_and_changes_nothing(client_as, submitted):
    bureau = client_as("bureau")
    bureau.post(reverse("portal:logout"))
    response = bureau.post(
        reverse("assessments:accept", args=[submitted.pk]), {"expected_status": "submitted"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Application.objects.get(pk=submitted.pk).status == Status.SUBMITTED
