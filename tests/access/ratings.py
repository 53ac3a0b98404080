"""Access rules of the ratings stage, and the small stage they are walked against.

``stage(world)`` builds (once per world) what the URLs need: an application of the world's
unit in an open publicity batch with a public comment and an objection, another unit's result
submitted to the government, and a published 2025 rating of the world's unit with its
certificate. The ratings tests reuse it. For due process: a 2020 application of the world's
unit proposed as no star by another officer (the clerk: acceptance, assignment, grade review),
its notice, and the enterprise's objection to it with evidence.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from portal.demo.publications import demo_cycle, graded_application
from portal.models import CalendarOverride
from ratings.models import CertificateJob, Comment, PublicityBatch, Rating
from ratings.services import (
    certificates,
    confirmation,
    objections,
    publication,
    publicity,
    replies,
)
from tests.objection_support import clerk, graded_by_review

from .rules import EVERYONE, Rule

BUREAU = frozenset({"bureau"})
BUREAU_GOV = frozenset({"bureau", "government"})
OWN_ENTERPRISE = frozenset({"bureau", "enterprise"})
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Cycles of their own, so the stage never collides with other stages' applications of the
# world's unit (one application per unit and cycle).
PUBLISHED_YEAR = 2021
STAGE_YEAR = 2022
OBJECTION_YEAR = 2020  # a year no other stage or test publishes for world.unit
SECRET_NAME = "赵保密"
SECRET_PHONE = "13912345678"


@dataclass
class Stage:
    cycle: object
    item: object  # world.unit, open window
    comment: object
    objection: object
    submission: object  # other_unit, pending at the government
    submitted_application: object
    publication: object  # 2025, world.unit
    rating: object
    certificate: object
    job: object
    reply: object  # the world's unit's reply to its current rating, waiting for the bureau
    notice: object  # world.unit 2020, no star, graded by the clerk
    due_objection: object  # the enterprise's objection to it (pending)
    calendar_override: object


def open_item(cycle, unit, bureau, expert, score=Decimal("90.0"), title="公示"):
    application = graded_application(cycle, unit, score, bureau=bureau, expert=expert)
    now = timezone.now()
    batch = publicity.open_batch(
        cycle=cycle,
        applications=[application],
        title=title,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=7),
        actor=bureau,
    )
    return batch.items.get()


def close_window(item) -> None:
    past = timezone.now() - datetime.timedelta(minutes=1)
    PublicityBatch.objects.filter(pk=item.batch_id).update(
        starts_at=past - datetime.timedelta(days=7), ends_at=past
    )
    item.batch.refresh_from_db()


def published_rating(cycle, unit, users, score=Decimal("92.0"), number=1):
    """A result taken through publicity, confirmation and publication (publish_on today)."""
    item = open_item(cycle, unit, users["bureau"], users["expert"], score)
    close_window(item)
    submission = confirmation.submit_to_government(
        batch=item.batch, items=[item], note="", actor=users["bureau"]
    )
    confirmation.decide(
        submission=submission,
        items=list(submission.items.all()),
        confirm=True,
        reason="",
        actor=users["government"],
    )
    created = publication.create_publication(
        cycle=cycle,
        applications=[item.application],
        publish_on=timezone.localdate(),
        document_number=number,
        actor=users["bureau"],
    )
    return created


def stage(world) -> Stage:
    if getattr(world, "_ratings_stage", None) is not None:
        return world._ratings_stage
    users = world.users
    bureau, expert = users["bureau"], users["expert"]
    previous = demo_cycle(PUBLISHED_YEAR, is_open=False)
    done = published_rating(previous, world.unit, users)
    certificates.issue_certificates(done)
    rating = done.ratings.get()
    # Only the current result takes a reply; another stage may have published a later one.
    current = Rating.objects.filter(unit=world.unit).current().get()
    reply = replies.submit(user=users["enterprise"], rating=current, text="我单位已完成整改。")
    job = CertificateJob.objects.create(
        publication=done, total=1, created_by=bureau, queued_at=timezone.now()
    )
    cycle = demo_cycle(STAGE_YEAR, is_open=False)
    item = open_item(cycle, world.unit, bureau, expert)
    comment, _code = publicity.submit_comment(
        item=item, content="消防通道堵塞。", contact_name=SECRET_NAME, contact_phone=SECRET_PHONE
    )
    objection = publicity.object_to_grade(
        item=item,
        reasons="培训记录漏看。",
        evidence=ContentFile(MINIMAL_PDF, name="培训记录.pdf"),
        evidence_type="application/pdf",
        actor=users["enterprise"],
    )
    other = open_item(cycle, world.other_unit, bureau, expert, Decimal("86.0"))
    close_window(other)
    submission = confirmation.submit_to_government(
        batch=other.batch, items=[other], note="", actor=bureau
    )
    adverse = graded_by_review(
        demo_cycle(OBJECTION_YEAR, is_open=False),
        world.unit,
        Decimal("70.0"),
        expert=expert,
        officer=clerk(),
    )
    due_objection = objections.file_objection(
        application=adverse,
        reasons="培训记录漏看。",
        evidence=ContentFile(MINIMAL_PDF, name="培训记录.pdf"),
        evidence_type="application/pdf",
        actor=users["enterprise"],
    )
    world._ratings_stage = Stage(
        cycle=cycle,
        item=item,
        comment=comment,
        objection=Comment.objects.get(pk=objection.pk),
        submission=submission,
        submitted_application=other.application,
        publication=done,
        rating=rating,
        certificate=rating.certificate,
        job=job,
        reply=reply,
        notice=due_objection.notice,
        due_objection=due_objection,
        calendar_override=CalendarOverride.objects.create(
            day=datetime.date(2027, 1, 1), is_working_day=False, note="元旦"
        ),
    )
    return world._ratings_stage


def rerating_stage(world):
    """A re-rating request of world.unit, asked through the real service once its waiting
    period had passed (a 2030 result of 70 points, asked about in October 2030)."""
    if getattr(world, "_rerating_stage", None) is not None:
        return world._rerating_stage
    from assessments.uploads import check_upload
    from ratings.services import rerating
    from tests.rerating_support import at, publish_result, rectification_pdf

    rating = publish_result(world, datetime.date(2030, 7, 1), "70.0", number=1)
    with at(datetime.date(2030, 10, 2)):
        world._rerating_stage = rerating.request(
            rating=rating,
            actor=world.users["enterprise"],
            statement="隐患已整改。",
            files=[check_upload(rectification_pdf())],
        )
    return world._rerating_stage


def _rerating(w):
    return {"pk": rerating_stage(w).pk}


def _pk(name):
    return lambda w: {"pk": getattr(stage(w), name).pk}


ACCESS = {
    "ratings:batch_list": Rule(BUREAU),
    "ratings:batch_create": Rule(BUREAU),
    "ratings:batch_detail": Rule(BUREAU, kwargs=lambda w: {"pk": stage(w).item.batch_id}),
    "ratings:batch_submit": Rule(
        BUREAU, kwargs=lambda w: {"pk": stage(w).item.batch_id}, method="post"
    ),
    "ratings:my_items": Rule(frozenset({"enterprise", "enterprise_other"})),
    "ratings:item_detail": Rule(OWN_ENTERPRISE, kwargs=_pk("item")),
    "ratings:item_grade": Rule(BUREAU, kwargs=_pk("item"), method="post"),
    "ratings:item_object": Rule(frozenset({"enterprise"}), kwargs=_pk("item"), method="post"),
    "ratings:comment_answer": Rule(BUREAU, kwargs=_pk("comment"), method="post"),
    "ratings:comment_reply": Rule(frozenset({"enterprise"}), kwargs=_pk("comment"), method="post"),
    "ratings:objection_evidence": Rule(OWN_ENTERPRISE, kwargs=_pk("objection")),
    "ratings:submission_list": Rule(BUREAU_GOV),
    "ratings:submission_detail": Rule(BUREAU_GOV, kwargs=_pk("submission")),
    "ratings:submission_decide": Rule(
        frozenset({"government"}), kwargs=_pk("submission"), method="post"
    ),
    "ratings:application_review": Rule(BUREAU_GOV, kwargs=_pk("submitted_application")),
    "ratings:regrade": Rule(BUREAU, kwargs=lambda w: {"pk": stage(w).item.application_id}),
    "ratings:publication_list": Rule(BUREAU),
    "ratings:publication_detail": Rule(BUREAU, kwargs=_pk("publication")),
    "ratings:publication_publish": Rule(BUREAU, kwargs=_pk("publication"), method="post"),
    "ratings:certificates_start": Rule(BUREAU, kwargs=_pk("publication"), method="post"),
    "ratings:bulletin_pdf": Rule(BUREAU, kwargs=_pk("publication")),
    "ratings:job_progress": Rule(BUREAU, kwargs=_pk("job")),
    "ratings:rating_detail": Rule(OWN_ENTERPRISE, kwargs=_pk("rating")),
    "ratings:rating_revoke": Rule(BUREAU, kwargs=_pk("rating"), method="post"),
    "ratings:certificate_pdf": Rule(OWN_ENTERPRISE, kwargs=_pk("certificate")),
    "ratings:rerating_request": Rule(frozenset({"enterprise"}), kwargs=_pk("rating")),
    "ratings:rerating_list": Rule(BUREAU),
    "ratings:rerating_detail": Rule(OWN_ENTERPRISE, kwargs=_rerating),
    "ratings:rerating_decide": Rule(BUREAU, kwargs=_rerating, method="post"),
    "ratings:rerating_publicity": Rule(BUREAU, kwargs=_rerating, method="post"),
    "ratings:rerating_publish": Rule(BUREAU, kwargs=_rerating, method="post"),
    "ratings:reply_submit": Rule(frozenset({"enterprise"}), kwargs=_pk("rating"), method="post"),
    "ratings:reply_list": Rule(BUREAU),
    "ratings:reply_decide": Rule(BUREAU, kwargs=_pk("reply")),
    "ratings:reply_withdraw": Rule(frozenset({"enterprise"}), kwargs=_pk("reply"), method="post"),
    # Due process. Deciding an objection: a bureau officer who took no part in the application
    # (here the persona "bureau"; the clerk who accepted, assigned and graded it is refused:
    # OBJECTION_DECIDERS below and tests/test_access_matrix.py).
    "ratings:notice_detail": Rule(OWN_ENTERPRISE, kwargs=_pk("notice")),
    "ratings:notice_pdf": Rule(OWN_ENTERPRISE, kwargs=_pk("notice")),
    "ratings:objection_new": Rule(
        frozenset({"enterprise"}), kwargs=lambda w: {"pk": stage(w).notice.application_id}
    ),
    "ratings:objection_list": Rule(frozenset({"bureau", "enterprise", "enterprise_other"})),
    "ratings:objection_detail": Rule(OWN_ENTERPRISE, kwargs=_pk("due_objection")),
    "ratings:objection_decide": Rule(BUREAU, kwargs=_pk("due_objection"), method="post"),
    "ratings:objection_attachment": Rule(OWN_ENTERPRISE, kwargs=_pk("due_objection")),
    "ratings:objection_decision_pdf": Rule(OWN_ENTERPRISE, kwargs=_pk("due_objection")),
    "portal:calendar_list": Rule(BUREAU),
    "portal:calendar_delete": Rule(BUREAU, kwargs=_pk("calendar_override"), method="post"),
    "public_ratings:publicity": Rule(EVERYONE),
    "public_ratings:comment": Rule(EVERYONE, kwargs=_pk("item")),
    "public_ratings:comment_received": Rule(EVERYONE),
    "public_ratings:track": Rule(EVERYONE),
    "public_ratings:results": Rule(EVERYONE),
    "public_ratings:bulletin": Rule(EVERYONE, kwargs=_pk("publication")),
    "public_ratings:verify_form": Rule(EVERYONE),
    "public_ratings:verify_upload": Rule(EVERYONE),
    "public_ratings:verify": Rule(
        EVERYONE, kwargs=lambda w: {"code": stage(w).certificate.verification_code}
    ),
    "public_ratings:verify_pdf": Rule(
        EVERYONE, kwargs=lambda w: {"code": stage(w).certificate.verification_code}
    ),
    "public_ratings:seal_certificate": Rule(EVERYONE),
}


# Who may decide an objection (ratings.services.objections.may_decide), beside the walk above:
# (who, may decide). The clerk accepted, assigned the expert and graded the application.
OBJECTION_DECIDERS = {
    "bureau officer who took no part": (lambda w: w.users["bureau"], True),
    "bureau officer who accepted, assigned and graded it": (lambda w: clerk(), False),
    "enterprise that objected": (lambda w: w.users["enterprise"], False),
    "government": (lambda w: w.users["government"], False),
    "expert who scored it": (lambda w: w.users["expert"], False),
}


# Who may answer the enterprise's objection during the public-comment window
# (ratings:comment_answer on a Comment of kind OBJECTION): the same rule, may_decide. The
# bureau persona graded the publicity item's application; the clerk took no part in it.
PUBLICITY_OBJECTION_ANSWERERS = {
    "bureau officer who took no part": (lambda w: clerk(), True),
    "bureau officer who graded it": (lambda w: w.users["bureau"], False),
    "enterprise that objected": (lambda w: w.users["enterprise"], False),
    "government": (lambda w: w.users["government"], False),
    "expert who scored it": (lambda w: w.users["expert"], False),
}
