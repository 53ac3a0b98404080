"""Due-process time limits on the day before, the day of and the day after each deadline, with
the clock frozen (China Standard Time), counted in working days across 2026's Mid-Autumn
(09-25..27) and National Day (10-01..07) holidays and the adjusted working Sunday 09-20 and
Saturday 10-10 (as chinesecalendar 1.11 has them).

- objection period (OBJECTION_PERIOD_WORKING_DAYS = 5) after a notice issued on
  Wednesday 2026-09-30: 10-08, 10-09, 10-10 (Saturday, worked), 10-12, 10-13 → until 10-13;
- the same after a notice issued on Friday 2026-09-18: 09-20 (Sunday, worked), 09-21..24 →
  until 09-24, and the day after is a holiday;
- decision limit (OBJECTION_DECISION_WORKING_DAYS = 10) for an objection filed on Friday
  2026-09-18: 09-20, 09-21..24, 09-28..30, 10-08, 10-09 → due 10-09, overdue from 10-10.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessments.models import Status
from portal.demo.publications import demo_cycle
from portal.refusals import Refused
from ratings.models import Objection
from ratings.services import confirmation, publicity
from ratings.services import objections as due_process
from tests.conftest import sign_in
from tests.objection_support import graded_by_review

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.fromisoformat(day).replace(hour=hour, tzinfo=CST)


def _notice_on(world, day: str):
    """Grade no star on ``day`` through the grade review and open publicity the same day."""
    with time_machine.travel(at(day), tick=False):
        application = graded_by_review(
            demo_cycle(2026, is_open=True),
            world.unit,
            Decimal("70.0"),
            expert=world.users["expert"],
        )
        publicity.open_batch(
            cycle=application.cycle,
            applications=[application],
            title="公示",
            starts_at=at(day),
            ends_at=at(day, 18),
            actor=world.users["bureau"],
        )
    item = application.publicity_items.get()  # its window closed at 18:00 that day
    return application, application.adverse_notices.get(), item


def _file(world, application):
    return due_process.file_objection(
        application=application,
        reasons="扣分有误。",
        evidence=None,
        evidence_type="",
        actor=world.users["enterprise"],
    )


@pytest.mark.parametrize(
    ("issued", "deadline", "after"),
    [
        ("2026-09-30", "2026-10-13", "2026-10-14"),  # across National Day and Saturday 10-10
        ("2026-09-18", "2026-09-24", "2026-09-25"),  # across Sunday 09-20; the day after is off
    ],
)
def test_an_objection_is_taken_up_to_the_deadline_day_and_refused_the_day_after(
    world, issued, deadline, after
):
    application, notice, _item = _notice_on(world, issued)
    assert notice.objection_deadline == datetime.date.fromisoformat(deadline)
    the_day_before = datetime.date.fromisoformat(deadline) - datetime.timedelta(days=1)
    for day in (the_day_before.isoformat(), deadline):
        with time_machine.travel(at(day, 23), tick=False):
            assert not isinstance(due_process.objectable(application), str), day
    with time_machine.travel(at(after, 0), tick=False):
        with pytest.raises(Refused, match=f"异议期已于 {deadline} 届满"):
            _file(world, application)


def test_the_result_waits_for_the_period_through_the_deadline_day_and_goes_the_day_after(
    client, world
):
    application, notice, item = _notice_on(world, "2026-09-30")
    sign_in(client, world.users["bureau"])
    url = reverse("ratings:batch_submit", args=[item.batch_id])
    for day in ("2026-10-12", "2026-10-13"):
        with time_machine.travel(at(day, 17), tick=False):
            page = client.post(url, {"items": [item.pk], "note": ""}, follow=True)
            assert "异议期至 2026-10-13 届满" in page.content.decode(), day
    application.refresh_from_db()
    assert application.status == Status.IN_PUBLICITY
    with time_machine.travel(at("2026-10-14", 9), tick=False):
        client.post(url, {"items": [item.pk], "note": ""})
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED_TO_GOVERNMENT


def test_the_decision_is_due_on_the_tenth_working_day_and_overdue_the_day_after(client, world):
    application, _notice, item = _notice_on(world, "2026-09-18")
    with time_machine.travel(at("2026-09-18", 15), tick=False):
        objection = _file(world, application)
    assert objection.due_on == datetime.date(2026, 10, 9)
    sign_in(client, world.users["bureau"])
    for day, overdue in (("2026-10-08", False), ("2026-10-09", False), ("2026-10-10", True)):
        with time_machine.travel(at(day, 12), tick=False):
            assert Objection.objects.get().is_overdue() is overdue, day
            page = client.get(reverse("ratings:objection_list")).content.decode()
            assert ("已超期" in page) is overdue, day
    # Until it is decided the result stays back, whatever the objection period said.
    with time_machine.travel(at("2026-10-10", 12), tick=False):
        with pytest.raises(Refused, match="异议复核尚未作出决定"):
            confirmation.submit_to_government(
                batch=item.batch, items=[item], note="", actor=world.users["bureau"]
            )


def test_an_override_entered_by_the_bureau_moves_the_deadline(client, world):
    sign_in(client, world.users["bureau"])
    response = client.post(
        reverse("portal:calendar_list"),
        {"day": "2026-10-12", "is_working_day": "0", "note": "更正：补休"},
        follow=True,
    )
    assert "已保存 2026-10-12 的工作日调整" in response.content.decode()
    _application, notice, _item = _notice_on(world, "2026-09-30")
    assert notice.objection_deadline == datetime.date(2026, 10, 14)
    again = client.post(
        reverse("portal:calendar_list"),
        {"day": "2026-10-12", "is_working_day": "1", "note": "重复"},
    ).content.decode()
    assert "该日期已有调整记录" in again
    bad = client.post(
        reverse("portal:calendar_list"), {"day": "10/12", "is_working_day": "1", "note": ""}
    ).content.decode()
    assert "日期" in bad and "有效" in bad
