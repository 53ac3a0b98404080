"""The grade review warns when a fact the platform holds contradicts "no veto item": a rating of
the unit revoked in the cycle's year (a fatal accident), a major hazard still open past its
deadline. A unit with neither gets no warning."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from linkage.models import Hazard, Inspection
from tests.evaluation_support import evaluated_application
from tests.publication_support import publish_one as publish

pytestmark = pytest.mark.django_db
WARNING = "已知事实与“无否决项”不符"


def review_page(client_as, application) -> str:
    url = reverse("evaluation:review", args=[application.pk])
    return client_as("bureau").get(url).content.decode()


def test_no_warning_without_contradicting_facts(client_as, world):
    application = evaluated_application(world)
    assert WARNING not in review_page(client_as, application)


def test_a_rating_revoked_for_a_fatal_accident_in_the_same_year_is_raised(client_as, world):
    application = evaluated_application(world)
    earlier = publish(world.unit, application.cycle.year - 1, "92.0")
    revoked_at = timezone.make_aware(datetime.datetime(application.cycle.year, 5, 8, 10, 0))
    type(earlier).objects.filter(pk=earlier.pk).update(
        revoked_at=revoked_at, revocation_reason="发生一起生产安全死亡事故"
    )
    text = review_page(client_as, application)
    assert WARNING in text
    assert "发生一起生产安全死亡事故" in text


def test_an_open_major_hazard_past_its_deadline_is_raised(client_as, world):
    application = evaluated_application(world)
    today = timezone.localdate()
    inspection = Inspection.objects.create(
        unit=world.unit, kind="key", planned_on=today, planned_by=world.users["bureau"]
    )
    Hazard.objects.create(
        inspection=inspection,
        unit=world.unit,
        description="危化品仓库未设置可燃气体报警装置",
        severity=Hazard.Severity.MAJOR,
        deadline=today - datetime.timedelta(days=3),
    )
    Hazard.objects.create(  # rectified: not a contradiction
        inspection=inspection,
        unit=world.unit,
        description="配电箱未接地",
        severity=Hazard.Severity.MAJOR,
        deadline=today - datetime.timedelta(days=3),
        rectified_on=today,
    )
    text = review_page(client_as, application)
    assert WARNING in text
    assert "危化品仓库未设置可燃气体报警装置" in text
    assert "配电箱未接地" not in text
