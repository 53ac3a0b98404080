"""The enterprise dashboard says where the unit stands in the cycle's five stages and how long
is left before each deadline; a reminder of each deadline reaches each owing unit once, in the
portal and by e-mail."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Cycle, DeadlineReminder, Status
from assessments.services import self_assessment
from assessments.services.reminders import send_deadline_reminders
from portal.models import Notification
from tests.assessment_support import complete_draft, open_cycle, sign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
STAGES = ["宣传培训", "组织实施", "开展评估", "等级认定", "公布结果与授证"]


def progress(client):
    response = client.get(reverse("portal:dashboard"))
    (section,) = [s for s in response.context["sections"] if s.template]
    return response.content.decode(), section.context


def test_dashboard_shows_five_stages_and_both_deadlines(client_as, world):
    cycle = open_cycle(
        phase=Cycle.Phase.PUBLICITY,
        pledge_deadline=TODAY + datetime.timedelta(days=5),
        application_deadline=TODAY + datetime.timedelta(days=40),
    )
    page, data = progress(client_as("enterprise"))
    assert [stage.label for stage in data["stages"]] == STAGES
    assert [stage.state for stage in data["stages"]] == ["current"] + ["upcoming"] * 4
    assert 'aria-current="step"' in page
    assert "全市当前阶段" in page
    assert cycle.pledge_deadline.isoformat() in page
    assert cycle.application_deadline.isoformat() in page
    assert "还剩5天" in page and "还剩40天" in page


def test_the_units_stage_follows_its_pledge_and_application(client_as, world):
    cycle = open_cycle()
    client = client_as("enterprise")
    user = world.users["enterprise"]
    sign(cycle, world.unit, user)
    _page, data = progress(client)
    assert [s.state for s in data["stages"]][:3] == ["done", "current", "upcoming"]
    application = complete_draft(cycle, world.unit, user)
    self_assessment.submit(application=application, actor=user, expected_status=Status.DRAFT)
    page, data = progress(client)
    assert [s.state for s in data["stages"]] == ["done", "done", "current", "upcoming", "upcoming"]
    assert "已签署" in page and "已提交" in page
    type(application).objects.filter(pk=application.pk).update(status=Status.PUBLISHED)
    _page, data = progress(client)
    assert data["stages"][-1].state == "current"


def test_dashboard_in_english_names_the_stages(client_as, world):
    cycle = open_cycle()
    sign(cycle, world.unit, world.users["enterprise"])
    client = client_as("enterprise")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "1. Publicity and training" in page
    assert "5. Publication and certification" in page
    assert "30 days left" in page
    assert "(where your unit is)" in page
    assert ">Deadlines<" in page
    assert ">Signed<" in page


def test_each_deadline_is_reminded_once_per_unit(world, settings):
    settings.DEADLINE_REMIND_DAYS_BEFORE = 7
    cycle = open_cycle(
        pledge_deadline=TODAY + datetime.timedelta(days=9),
        application_deadline=TODAY + datetime.timedelta(days=20),
    )
    sign(cycle, world.unit, world.users["enterprise"])
    assert send_deadline_reminders(TODAY) == 0  # nine days ahead: too early
    assert send_deadline_reminders(TODAY + datetime.timedelta(days=2)) == 1
    other = Notification.objects.get(recipient=world.users["enterprise_other"])
    assert "承诺书" in other.subject and "还剩7天" in other.subject
    # Every later run, the same day or the next, sends nothing more for that deadline.
    for day in (2, 3, 8, 9):
        assert send_deadline_reminders(TODAY + datetime.timedelta(days=day)) == 0
    # The application deadline, missed by the beat on its exact day, is caught up once.
    assert send_deadline_reminders(TODAY + datetime.timedelta(days=15)) == 1
    assert send_deadline_reminders(TODAY + datetime.timedelta(days=16)) == 0
    mine = Notification.objects.get(recipient=world.users["enterprise"])
    assert "评估申请" in mine.subject and "还剩5天" in mine.subject
    assert mine.link == reverse("assessments:application_mine")
    assert DeadlineReminder.objects.count() == 2
    # Past the deadline nobody is reminded any more.
    assert send_deadline_reminders(TODAY + datetime.timedelta(days=21)) == 0


def test_a_reminder_is_also_e_mailed(world, settings, django_capture_on_commit_callbacks):
    from portal.notifications import send_email_copies

    cycle = open_cycle(pledge_deadline=TODAY + datetime.timedelta(days=1))
    world.users["enterprise"].email = "safety@example.cn"
    world.users["enterprise"].save()
    with django_capture_on_commit_callbacks():
        send_deadline_reminders(TODAY)
    ids = list(Notification.objects.values_list("pk", flat=True))
    send_email_copies(ids)
    (message,) = [m for m in mail.outbox if "safety@example.cn" in m.to]
    assert "承诺书" in message.subject and cycle.pledge_deadline.isoformat() in message.body


def test_a_unit_that_submitted_is_not_reminded(world):
    cycle = open_cycle(application_deadline=TODAY + datetime.timedelta(days=3))
    user = world.users["enterprise"]
    application = complete_draft(cycle, world.unit, user)
    self_assessment.submit(application=application, actor=user, expected_status=Status.DRAFT)
    send_deadline_reminders(TODAY)
    assert not Notification.objects.filter(recipient=user, subject__contains="评估申请截")
    assert not DeadlineReminder.objects.filter(unit=world.unit, deadline="application").exists()
