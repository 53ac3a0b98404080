"""The bureau assigns experts to accepted applications; conflicts of interest refuse it."""

import pytest
from django.urls import reverse

from assessments.models import Application, Assignment, ConflictOfInterest, Expert, Status
from portal.models import Notification
from tests.evaluation_support import accepted_application, assign

pytestmark = pytest.mark.django_db


def expert(world, persona="expert"):
    return Expert.objects.get(user=world.users[persona])


def test_bureau_assigns_two_experts_and_the_evaluation_starts(world, client_as):
    application = accepted_application(world.unit, world.users["bureau"])
    client = client_as("bureau")
    url = reverse("evaluation:assign", args=[application.pk])
    response = client.post(url, {"experts": [expert(world).pk, expert(world, "expert_other").pk]})
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.UNDER_EVALUATION
    assert application.transitions.last().name == "start_evaluation"
    assert application.assignments.count() == 2
    assert Notification.objects.filter(recipient=world.users["expert"]).exists()
    page = client.get(url).content.decode()
    assert "待声明利益冲突" in page


def test_assignment_is_refused_for_a_declared_conflict(world, client_as):
    application = accepted_application(world.unit, world.users["bureau"])
    ConflictOfInterest.objects.create(
        expert=expert(world), unit=world.unit, reason="曾在该单位任职"
    )
    response = client_as("bureau").post(
        reverse("evaluation:assign", args=[application.pk]),
        {"experts": [expert(world).pk, expert(world, "expert_other").pk]},
    )
    assert response.status_code == 400
    assert "已申报与" in response.content.decode() and "利益冲突" in response.content.decode()
    # all or none: the other expert was not assigned either, the status did not move
    assert not Assignment.objects.exists()
    assert Application.objects.get(pk=application.pk).status == Status.ACCEPTED


def test_assign_page_shows_each_experts_current_load(world, client_as):
    bureau = world.users["bureau"]
    busy = accepted_application(world.unit, bureau)
    assign(busy, bureau, world.users["expert"])
    waiting = accepted_application(world.other_unit, bureau)
    response = client_as("bureau").get(reverse("evaluation:assign", args=[waiting.pk]))
    rows = {row["expert"].name: row["expert"].load for row in response.context["experts"]}
    assert rows == {"expert专家": 1, "expert_other专家": 0}


def test_experts_cannot_be_assigned_once_the_evaluation_is_over(world, client_as):
    application = accepted_application(world.unit, world.users["bureau"])
    Application.objects.filter(pk=application.pk).update(status=Status.GRADED)
    response = client_as("bureau").post(
        reverse("evaluation:assign", args=[application.pk]), {"experts": [expert(world).pk]}
    )
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_expert_declares_a_conflict_ahead_and_cannot_then_be_assigned(world, client_as):
    client = client_as("expert")
    response = client.post(
        reverse("evaluation:conflicts"),
        {"credit_code": world.unit.credit_code, "reason": "近亲属在该单位任职"},
    )
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(expert=expert(world), unit=world.unit).exists()
    bad = client.post(
        reverse("evaluation:conflicts"), {"credit_code": "91410184MA0000000X", "reason": "x"}
    )
    assert "统一社会信用代码" in bad.content.decode()


def test_expert_sees_only_own_assignments(world, client_as):
    bureau = world.users["bureau"]
    mine = accepted_application(world.unit, bureau)
    theirs = accepted_application(world.other_unit, bureau)
    (own,) = assign(mine, bureau, world.users["expert"])
    (other,) = assign(theirs, bureau, world.users["expert_other"])
    client = client_as("expert")
    worklist = client.get(reverse("evaluation:worklist")).content.decode()
    assert world.unit.name in worklist and world.other_unit.name not in worklist
    assert client.get(reverse("evaluation:assignment", args=[own.pk])).status_code == 200
    # another expert's scoring form and an unassigned application's report: not found
    assert client.get(reverse("evaluation:assignment", args=[other.pk])).status_code == 404
    assert client.get(reverse("evaluation:report", args=[theirs.pk])).status_code == 404


def test_declaration_comes_before_the_scoring_form(world, client_as):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    (assignment,) = assign(application, bureau, world.users["expert"])
    client = client_as("expert")
    url = reverse("evaluation:assignment", args=[assignment.pk])
    page = client.get(url).content.decode()
    assert "利益冲突声明" in page and "score_" not in page
    client.post(reverse("evaluation:declare", args=[assignment.pk]), {"decision": "none"})
    page = client.get(url).content.decode()
    assert 'name="score_' in page
    assert Assignment.objects.get(pk=assignment.pk).no_conflict_declared_at is not None


def test_declaring_a_conflict_withdraws_the_expert_and_tells_the_bureau(world, client_as):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    (assignment,) = assign(application, bureau, world.users["expert"])
    client = client_as("expert")
    refused = client.post(
        reverse("evaluation:declare", args=[assignment.pk]), {"decision": "conflict"}
    )
    assert refused.status_code == 400 and "请说明利害关系" in refused.content.decode()
    client.post(
        reverse("evaluation:declare", args=[assignment.pk]),
        {"decision": "conflict", "reason": "曾为该单位提供咨询服务"},
    )
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert ConflictOfInterest.objects.filter(expert=expert(world), unit=world.unit).exists()
    notice = Notification.objects.get(recipient=bureau)
    assert "利益冲突" in notice.subject and world.unit.name in notice.subject
    # the bureau sees it awaiting experts again
    dashboard = client_as("bureau").get(reverse("portal:dashboard")).content.decode()
    assert "待指派专家" in dashboard and world.unit.name in dashboard


@pytest.mark.parametrize("name", ["evaluation:declare", "evaluation:review_batch"])
def test_post_endpoints_answer_get_with_405(world, client_as, name):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    (assignment,) = assign(application, bureau, world.users["expert"])
    persona = "expert" if name == "evaluation:declare" else "bureau"
    kwargs = {"pk": assignment.pk} if name == "evaluation:declare" else {}
    response = client_as(persona).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 405
    assert Assignment.objects.get(pk=assignment.pk).no_conflict_declared_at is None


def test_roster_crud_links_an_expert_account(world, client_as):
    from tests.factories import UserFactory

    newcomer = UserFactory(role="expert", username="zhao")
    client = client_as("bureau")
    response = client.post(
        reverse("evaluation:expert_create"),
        {
            "kind": "agency",
            "name": "河南安评咨询有限公司",
            "field": "安全评价",
            "qualification": "安全评价机构甲级资质",
            "phone": "0371-62600000",
            "email": "",
            "user": newcomer.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    agency = Expert.objects.get(name="河南安评咨询有限公司")
    assert agency.user == newcomer
    roster = client.get(reverse("evaluation:experts")).content.decode()
    assert "河南安评咨询有限公司" in roster and "zhao" in roster
    # an account already linked to another expert is not offered
    form = client.get(reverse("evaluation:expert_create")).context["form"]
    assert world.users["expert"] not in form.fields["user"].queryset
    edit = client.post(
        reverse("evaluation:expert_edit", args=[agency.pk]),
        {
            "kind": "agency",
            "name": agency.name,
            "field": "安全评价",
            "qualification": "乙级",
            "phone": "1",
            "user": newcomer.pk,
        },
    )
    assert edit.status_code == 302
    agency.refresh_from_db()
    assert agency.qualification == "乙级" and not agency.is_active
