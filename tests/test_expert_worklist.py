"""An expert's task list holds only work that can still be done; finished and stale tasks move
to a history section, and the bureau's roster counts only live tasks."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Application, Assignment, Cycle, Expert, Status
from tests.evaluation_support import accepted_application, assign
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(world):
    """expert: one live task, one left unsigned when its application was published, one
    whose application was graded without this expert's signature."""
    bureau, expert = world.users["bureau"], world.users["expert"]
    live = accepted_application(world.unit, bureau)
    assign(live, bureau, expert)
    published = accepted_application(world.other_unit, bureau)
    assign(published, bureau, expert)
    graded = accepted_application(UnitFactory(), bureau)
    assign(graded, bureau, expert)
    Application.objects.filter(pk=published.pk).update(status=Status.PUBLISHED)
    Application.objects.filter(pk=graded.pk).update(status=Status.GRADED)
    # Last year's cycle was closed while one application was still with the experts.
    last_year = Cycle.objects.create(
        year=2020,
        name="2020年度",
        standard=live.cycle.standard,
        phase=Cycle.Phase.CLOSED,
        is_open=False,
        pledge_deadline=datetime.date(2020, 3, 1),
        application_deadline=datetime.date(2020, 5, 1),
        comment_start=datetime.date(2020, 9, 1),
        comment_end=datetime.date(2020, 9, 10),
    )
    stale = Application.objects.create(
        cycle=last_year, unit=UnitFactory(), status=Status.UNDER_EVALUATION
    )
    Assignment.objects.create(
        application=stale, expert=Expert.objects.get(user=expert), assigned_by=bureau
    )
    return {"live": live, "published": published, "graded": graded, "closed": stale}


def test_task_list_shows_only_work_that_can_still_be_done(client_as, world, tasks):
    response = client_as("expert").get(reverse("evaluation:worklist"))
    open_units = [a.application.unit.name for a in response.context["open"]]
    assert open_units == [world.unit.name]
    finished = {a.application_id for a in response.context["finished"]}
    assert finished == {tasks["published"].pk, tasks["graded"].pk, tasks["closed"].pk}
    page = response.content.decode()
    assert "已结束的任务（3）" in page
    assert "未签署，评估已结束" in page


def test_dashboard_counts_only_live_tasks(client_as, world, tasks):
    response = client_as("expert").get(reverse("portal:dashboard"))
    (section,) = [s for s in response.context["sections"] if s.title == "待评分的评估任务"]
    assert section.count == 1


def test_roster_counts_only_live_tasks(client_as, world, tasks):
    client = client_as("bureau")
    response = client.get(reverse("evaluation:experts"))
    loads = {expert.name: expert.load for expert in response.context["experts"]}
    assert loads == {"expert专家": 1, "expert_other专家": 0}
    expert = next(e for e in response.context["experts"] if e.name == "expert专家")
    detail = client.get(reverse("evaluation:expert_detail", args=[expert.pk]))
    assert detail.context["expert"].load == 1


def test_a_finished_task_opens_read_only(client_as, world, tasks):
    response = client_as("expert").get(reverse("evaluation:worklist"))
    stale = next(a for a in response.context["finished"] if a.application_id == tasks["graded"].pk)
    page = client_as("expert").get(reverse("evaluation:assignment", args=[stale.pk]))
    assert page.status_code == 200
    assert page.context["editable"] is False
