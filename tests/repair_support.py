"""A no-star result taken through the real path — expert evaluation (with a veto item if asked),
grade review, public comment, the government's confirmation, publication on today's date — and
the frozen-clock helpers of the credit-repair and service-rating tests."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from assessments.models import Application, Status, VetoItem
from assessments.services import acceptance
from assessments.services.grading import grade
from portal.demo.publications import demo_cycle
from ratings.models import Rating
from ratings.services import confirmation, publication, publicity
from tests.access.ratings import close_window
from tests.evaluation_support import assign, open_cycle, sign

CST = ZoneInfo("Asia/Shanghai")
EARLIER = datetime.timedelta(days=60)


def on(day: datetime.date, hour: int = 10):
    """Freeze the clock at ``hour`` o'clock China Standard Time on ``day``."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), CST), tick=False)


def published_no_star(
    world, *, veto: str = "", total: str = "62.0", number: int = 1, year: int | None = None
) -> Rating:
    """``year``: a cycle of its own (closed), for worlds whose unit applies in other cycles."""
    bureau = world.users["bureau"]
    published_at = timezone.now()
    # Evaluated, graded and put to public comment well before: any notice before an adverse
    # result (告知书) has had its objection period run out by the day it is published.
    with time_machine.travel(published_at - EARLIER, tick=False):
        item = _graded_in_publicity(world, veto=veto, total=total, year=year)
    close_window(item)
    submission = confirmation.submit_to_government(
        batch=item.batch, items=[item], note="", actor=bureau
    )
    confirmation.decide(
        submission=submission,
        items=list(submission.items.all()),
        confirm=True,
        reason="",
        actor=world.users["government"],
    )
    application = Application.objects.get(pk=item.application_id)
    done = publication.create_publication(
        cycle=application.cycle,
        applications=[application],
        publish_on=timezone.localdate(),
        document_number=number,
        actor=bureau,
    )
    return done.ratings.get()


def _graded_in_publicity(world, *, veto: str, total: str, year: int | None):
    bureau = world.users["bureau"]
    cycle = demo_cycle(year, is_open=False) if year else open_cycle()
    application = Application.objects.create(
        cycle=cycle,
        unit=world.unit,
        status=Status.SUBMITTED,
        self_report="本单位对照评分标准逐项自查，情况如下。",
        self_score_total=Decimal("80"),
    )
    application = acceptance.accept(
        application=application, actor=bureau, expected_status=Status.SUBMITTED
    )
    [assignment] = assign(application, bureau, world.users["expert"])
    vetoes = {}
    if veto:
        found = VetoItem.objects.get(standard=application.cycle.standard, code=veto)
        vetoes = {found.pk: "事实见事故调查报告。"}
    sign(assignment, total, vetoes=vetoes)
    application = grade(application=Application.objects.get(pk=application.pk), actor=bureau)
    now = timezone.now()
    batch = publicity.open_batch(
        cycle=application.cycle,
        applications=[application],
        title="拟定等级公示",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=7),
        actor=bureau,
    )
    return batch.items.get()
