"""The application's state machine from draft to acceptance: every allowed transition and
every refused one, for the states this stage owns (draft, submitted, returned, accepted)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessments.models import Application, ApplicationTransition, Status
from assessments.services import acceptance, self_assessment
from assessments.workflow import advance
from portal.models import Notification
from portal.refusals import Refused
from tests.assessment_support import complete_draft, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return open_cycle()


@pytest.fixture
def draft(world, cycle):
    return complete_draft(cycle, world.unit, world.users["enterprise"])


def submitted(world, draft):
    return self_assessment.submit(
        application=draft, actor=world.users["enterprise"], expected_status=Status.DRAFT
    )


def reload(application):
    return Application.objects.get(pk=application.pk)


def test_submit_records_total_and_transition(world, draft):
    application = submitted(world, draft)
    application = reload(application)
    assert application.status == Status.SUBMITTED
    items = list(draft.cycle.standard.items())
    expected = Decimal(100) - len(items) * Decimal("0.5")
    assert application.self_score_total == expected
    assert application.submitted_at is not None
    (record,) = application.transitions.all()
    assert (record.source, record.target, record.actor) == (
        "draft",
        "submitted",
        world.users["enterprise"],
    )
    assert str(expected) in record.reason


def test_bureau_is_told_of_a_new_submission(world, draft):
    submitted(world, draft)
    assert Notification.objects.filter(recipient=world.users["bureau"]).exists()


def test_double_submission_is_refused_and_recorded_once(world, draft):
    submitted(world, draft)
    with pytest.raises(Refused, match="状态已变为"):
        self_assessment.submit(
            application=reload(draft), actor=world.users["enterprise"], expected_status=Status.DRAFT
        )
    assert ApplicationTransition.objects.filter(application=draft, name="submit").count() == 1


def test_incomplete_draft_cannot_be_submitted_and_says_what_is_missing(world, cycle):
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    application.self_scores.filter(item__code="3.2").delete()
    with pytest.raises(Refused, match="3.2"):
        self_assessment.submit(
            application=application, actor=world.users["enterprise"], expected_status=Status.DRAFT
        )
    assert reload(application).status == Status.DRAFT


def test_first_submission_after_the_deadline_is_refused(world):
    import datetime

    from django.utils import timezone

    cycle = open_cycle(application_deadline=timezone.localdate() - datetime.timedelta(days=1))
    application = complete_draft(cycle, world.unit, world.users["enterprise"])
    with pytest.raises(Refused, match="截止"):
        self_assessment.submit(
            application=application, actor=world.users["enterprise"], expected_status=Status.DRAFT
        )


@pytest.mark.parametrize(
    "persona", ["enterprise_other", "bureau", "township", "expert", "government"]
)
def test_only_the_own_enterprise_may_submit(world, draft, persona):
    with pytest.raises(PermissionDenied):
        advance(
            application=draft,
            actor=world.users[persona],
            name="submit",
            expected_status=Status.DRAFT,
        )
    assert reload(draft).status == Status.DRAFT


def test_withdraw_before_acceptance_returns_to_draft(world, draft):
    application = submitted(world, draft)
    self_assessment.withdraw(
        application=application, actor=world.users["enterprise"], expected_status=Status.SUBMITTED
    )
    assert reload(application).status == Status.DRAFT


@pytest.mark.parametrize("persona", ["enterprise_other", "bureau"])
def test_nobody_else_may_withdraw(world, draft, persona):
    application = submitted(world, draft)
    with pytest.raises(PermissionDenied):
        self_assessment.withdraw(
            application=application, actor=world.users[persona], expected_status=Status.SUBMITTED
        )


def test_withdraw_after_acceptance_is_refused(world, draft):
    application = submitted(world, draft)
    acceptance.accept(
        application=application, actor=world.users["bureau"], expected_status=Status.SUBMITTED
    )
    with pytest.raises(Refused):
        self_assessment.withdraw(
            application=reload(application), actor=world.users["enterprise"], expected_status=None
        )
    assert reload(application).status == Status.ACCEPTED


def test_return_then_resubmit_keeps_every_round(world, draft):
    bureau, enterprise = world.users["bureau"], world.users["enterprise"]
    application = submitted(world, draft)
    acceptance.return_for_correction(
        application=application,
        actor=bureau,
        reason_codes=["evidence_missing"],
        reason="请补充安全生产费用台账",
        expected_status=Status.SUBMITTED,
    )
    assert reload(application).status == Status.RETURNED
    assert Notification.objects.filter(recipient=enterprise, subject__contains="退回").exists()
    self_assessment.submit(
        application=reload(application), actor=enterprise, expected_status=Status.RETURNED
    )
    assert Notification.objects.filter(recipient=bureau, subject__contains="重新提交").exists()
    acceptance.return_for_correction(
        application=reload(application),
        actor=bureau,
        reason_codes=["other"],
        reason="第二轮意见",
        expected_status=Status.SUBMITTED,
    )
    self_assessment.submit(
        application=reload(application), actor=enterprise, expected_status=Status.RETURNED
    )
    acceptance.accept(
        application=reload(application), actor=bureau, expected_status=Status.SUBMITTED
    )
    rounds = list(application.transitions.values_list("source", "target", "reason_codes"))
    assert rounds == [
        ("draft", "submitted", []),
        ("submitted", "returned", ["evidence_missing"]),
        ("returned", "submitted", []),
        ("submitted", "returned", ["other"]),
        ("returned", "submitted", []),
        ("submitted", "accepted", []),
    ]


def test_resubmission_after_the_deadline_is_allowed(world, draft):
    import datetime

    from django.utils import timezone

    application = submitted(world, draft)
    acceptance.return_for_correction(
        application=application,
        actor=world.users["bureau"],
        reason_codes=["other"],
        reason="x",
        expected_status="submitted",
    )
    type(draft.cycle).objects.filter(pk=draft.cycle_id).update(
        application_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    self_assessment.submit(
        application=reload(application),
        actor=world.users["enterprise"],
        expected_status=Status.RETURNED,
    )
    assert reload(application).status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["accept", "return_for_correction"])
@pytest.mark.parametrize("persona", ["enterprise", "township", "expert", "government"])
def test_only_the_bureau_accepts_or_returns(world, draft, name, persona):
    application = submitted(world, draft)
    with pytest.raises(PermissionDenied):
        advance(
            application=application,
            actor=world.users[persona],
            name=name,
            expected_status=Status.SUBMITTED,
        )
    assert reload(application).status == Status.SUBMITTED


@pytest.mark.parametrize("name", ["accept", "return_for_correction", "withdraw"])
def test_draft_cannot_be_accepted_returned_or_withdrawn(world, draft, name):
    actor = world.users["enterprise" if name == "withdraw" else "bureau"]
    with pytest.raises(Refused):
        advance(application=draft, actor=actor, name=name)
    assert reload(draft).status == Status.DRAFT


@pytest.mark.parametrize("name", ["accept", "return_for_correction", "withdraw", "submit"])
def test_accepted_application_cannot_move_back_here(world, draft, name):
    application = submitted(world, draft)
    acceptance.accept(
        application=application, actor=world.users["bureau"], expected_status=Status.SUBMITTED
    )
    actor = world.users["enterprise" if name in ("withdraw", "submit") else "bureau"]
    with pytest.raises(Refused):
        advance(application=reload(application), actor=actor, name=name)
    assert reload(application).status == Status.ACCEPTED


@pytest.mark.parametrize("name", ["accept", "return_for_correction"])
def test_returned_application_waits_for_the_enterprise(world, draft, name):
    application = submitted(world, draft)
    acceptance.return_for_correction(
        application=application,
        actor=world.users["bureau"],
        reason_codes=["other"],
        reason="x",
        expected_status="submitted",
    )
    with pytest.raises(Refused):
        advance(application=reload(application), actor=world.users["bureau"], name=name)


def test_stale_accept_after_a_return_is_refused(world, draft):
    """Two clerks: one returns, the other's accept form still says 'submitted'."""
    application = submitted(world, draft)
    acceptance.return_for_correction(
        application=application,
        actor=world.users["bureau"],
        reason_codes=["other"],
        reason="x",
        expected_status="submitted",
    )
    with pytest.raises(Refused, match="状态已变为"):
        acceptance.accept(
            application=reload(application),
            actor=world.users["bureau"],
            expected_status=Status.SUBMITTED,
        )
    assert reload(application).receipt_number is None


def test_accept_issues_a_numbered_receipt_and_tells_the_enterprise(world, draft):
    application = submitted(world, draft)
    accepted = acceptance.accept(
        application=application, actor=world.users["bureau"], expected_status=Status.SUBMITTED
    )
    year = draft.cycle.year
    assert accepted.receipt_number == f"新安诚受〔{year}〕0001号"
    assert reload(application).handler == world.users["bureau"]
    assert Notification.objects.filter(
        recipient=world.users["enterprise"], subject__contains="已受理"
    ).exists()


def test_a_colleagues_application_cannot_be_accepted_over_their_head(world, draft):
    from tests.factories import UserFactory

    colleague = UserFactory(role="bureau", username="colleague")
    application = submitted(world, draft)
    acceptance.set_handler(
        application=application,
        actor=world.users["bureau"],
        handler=colleague,
        expected_handler_id=None,
    )
    with pytest.raises(Refused, match="经办"):
        acceptance.accept(
            application=reload(application),
            actor=world.users["bureau"],
            expected_status=Status.SUBMITTED,
        )
    acceptance.accept(
        application=reload(application), actor=colleague, expected_status=Status.SUBMITTED
    )
    assert reload(application).status == Status.ACCEPTED
