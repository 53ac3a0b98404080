"""An expert cannot erase the record of a result by declaring a conflict after evaluation.

Declarations are refused once the application has left evaluation (service), and the database
refuses to delete assignments, expert scores and veto findings of a signed assignment or of an
application past evaluation, whatever the code path (trigger).
"""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.models import (
    Application,
    Assignment,
    ConflictOfInterest,
    Expert,
    ExpertScore,
    Status,
)
from assessments.services.experts import declare_conflict
from tests.evaluation_support import evaluated_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_with_a_late_assignment(world):
    application = evaluated_application(world)
    Application.objects.filter(pk=application.pk).update(status=Status.PUBLISHED)
    late = Assignment.objects.create(
        application=application,
        expert=Expert.objects.get(user=world.users["expert_other"]),
        assigned_by=world.users["bureau"],
    )
    return application, late


def test_a_conflict_declared_after_evaluation_is_refused(
    world, client_as, published_with_a_late_assignment
):
    _application, late = published_with_a_late_assignment
    response = client_as("expert_other").post(
        reverse("evaluation:declare", args=[late.pk]),
        {"decision": "conflict", "reason": "曾为该单位提供咨询服务"},
        follow=True,
    )
    assert "不能再申报回避" in response.content.decode()
    assert Assignment.objects.filter(pk=late.pk).exists()


def test_a_conflict_declared_ahead_leaves_past_cases_alone(world, published_with_a_late_assignment):
    _application, late = published_with_a_late_assignment
    declare_conflict(expert=late.expert, unit=world.unit, reason="亲属在该单位任职")
    assert ConflictOfInterest.objects.filter(expert=late.expert, unit=world.unit).exists()
    assert Assignment.objects.filter(pk=late.pk).exists()


def test_the_database_refuses_to_delete_a_results_evaluation_records(
    world, published_with_a_late_assignment
):
    application, late = published_with_a_late_assignment
    signed = application.assignments.exclude(pk=late.pk).get()
    for rows in (
        Assignment.objects.filter(pk=late.pk),
        Assignment.objects.filter(pk=signed.pk),
        ExpertScore.objects.filter(assignment=signed),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            rows.delete()
    assert ExpertScore.objects.filter(assignment=signed).exists()
