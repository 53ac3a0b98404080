"""The re-rating path through the real services, shared by the client and browser tests:
a result published on a chosen day (publicity, confirmation, publication), and an accepted
re-rating taken through experts, grade review, its own publicity and the government."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import Status
from assessments.services.evaluation import ItemEntry, declare_no_conflict, save_and_sign_off
from assessments.services.experts import assign_experts
from assessments.services.grading import grade
from portal.demo.publications import demo_cycle, split_score
from ratings.models import Rating, Rerating
from ratings.services import confirmation, rerating
from tests.access.ratings import close_window, published_rating
from tests.assessment_support import PDF_BYTES

CST = ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 10):
    """The clock frozen (ticking) at ``hour`` o'clock China time on ``day``."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), CST))


def publish_result(world, day: datetime.date, score: str, *, number: int = 1) -> Rating:
    """The unit's result of ``day``'s year, published on ``day`` through the real path."""
    with at(day):
        cycle = demo_cycle(day.year, is_open=False)
        publication = published_rating(
            cycle, world.unit, world.users, score=Decimal(score), number=number
        )
    return publication.ratings.get()


def rectification_pdf(name: str = "整改验收记录.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def evaluate(item: Rerating, users, score: str) -> None:
    """Experts score the re-rating to ``score`` and sign; the bureau grades it unchanged."""
    application = item.application
    expert = users["expert"]
    (assignment,) = assign_experts(
        application=application, experts=[expert.expert_profile], actor=users["bureau"]
    )
    declare_no_conflict(assignment)
    items = list(application.cycle.standard.items())
    scores = split_score(Decimal(score), [i.max_points for i in items])
    save_and_sign_off(
        assignment=assignment,
        actor=expert,
        items={i.pk: ItemEntry(s) for i, s in zip(items, scores, strict=True)},
        vetoes={},
        overall_opinion="整改到位，重新评分。",
    )
    application.refresh_from_db()
    grade(application=application, actor=users["bureau"], expected_status=Status.EVALUATED)


def through_publicity_and_confirmation(item: Rerating, users) -> None:
    """Its own window opens and closes; the government confirms."""
    now = timezone.now()
    batch = rerating.open_publicity(
        rerating=item,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=5),
        actor=users["bureau"],
    )
    publicity_item = batch.items.get()
    close_window(publicity_item)
    submission = confirmation.submit_to_government(
        batch=batch, items=[publicity_item], note="", actor=users["bureau"]
    )
    confirmation.decide(
        submission=submission,
        items=list(submission.items.all()),
        confirm=True,
        reason="",
        actor=users["government"],
    )
