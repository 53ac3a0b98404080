"""Published results for tests, benchmarks and the multi-host test, through the real path.

There is one way a result becomes published, and this helper takes it: every application goes
through each transition of the state machine — submitted by its unit's own account, accepted
with a receipt number, evaluated by an assigned expert, graded, put to public comment
(``publicity.open_batch``), sent to and confirmed by the government (``confirmation``) — and is
published by ``ratings.services.publication.publish``, which writes the ratings, their
transition records and audit entries and sends linkage the signal that writes the notices.
Certificates come from ``certificates.issue_certificates``, revocations from ``revoke``.

The steps one person takes for all the results at once (the bureau accepting, the expert
signing, the bureau grading) go through ``assessments.workflow.advance_all``: the same checks,
transition records and audit entries as ``advance``, written set-based, so a thousand results
cost seconds. What is written directly is what people type: the self-assessment, the expert's
assignment and the scores the evaluation arrives at.

Results of past years are published on their own date: the publication is scheduled for that
day and published by ``publish`` (what the hourly ``publish_due`` does when the day comes).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import Application, Assignment, Cycle, ScoringStandard, SelfScore
from assessments.services.receipts import RECEIPT_FORMAT
from assessments.stars import star_for
from assessments.workflow import advance, advance_all
from portal.demo.publications import expert_user, split_score
from portal.models import Role, User
from public.cache import bump
from ratings.models import Publication, PublicityBatch, Rating
from ratings.services import certificates, confirmation, publication, publicity

# A score that earns each star (without a veto): for callers that think in stars.
SCORE_FOR_STAR = {5: Decimal("96.0"), 4: Decimal("88.5"), 3: Decimal("78.0"), 0: Decimal("62.0")}

# A result is (unit, star) with the star an int, (unit, score) with the score a str or
# Decimal, or either followed by has_veto.
Result = tuple


def past_cycle(year: int) -> Cycle:
    """The closed cycle of ``year`` (created with the calendar every cycle keeps)."""
    cycle, _created = Cycle.objects.get_or_create(
        year=year,
        defaults={
            "name": f"{year}年度",
            "standard": ScoringStandard.objects.order_by("created_at").first(),
            "phase": Cycle.Phase.CLOSED,
            "is_open": False,
            "pledge_deadline": datetime.date(year, 3, 31),
            "application_deadline": datetime.date(year, 6, 30),
            "comment_start": datetime.date(year, 10, 1),
            "comment_end": datetime.date(year, 10, 15),
        },
    )
    return cycle


def _person(role: str, username: str) -> User:
    user = User.objects.filter(role=role, is_active=True).order_by("pk").first()
    return user or User.objects.create(username=username, role=role, display_name=username)


def bureau() -> User:
    return _person(Role.BUREAU, "publication-bureau")


def _score_and_veto(result: Result) -> tuple[Decimal, bool]:
    value, veto = result[1], bool(result[2]) if len(result) > 2 else False
    if isinstance(value, int):
        return SCORE_FOR_STAR[value], veto
    return Decimal(value), veto


def _enterprise_accounts(units) -> dict[int, User]:
    """Each unit's own enterprise account (made when the unit has none): submit is theirs."""
    unit_ids = [unit.pk for unit in units]
    accounts = {}
    for user in User.objects.filter(role=Role.ENTERPRISE, unit_id__in=unit_ids).order_by("-pk"):
        accounts[user.unit_id] = user
    missing = [pk for pk in unit_ids if pk not in accounts]
    made = User.objects.bulk_create(
        [
            User(username=f"unit-{pk}", role=Role.ENTERPRISE, unit_id=pk, password="!")
            for pk in missing
        ],
        batch_size=2000,
    )
    accounts.update({user.unit_id: user for user in made})
    return accounts


def confirmed(results: Sequence[Result], cycle: Cycle) -> list[Application]:
    """Applications of ``cycle``, one per result, taken from draft to confirmed by the
    government, in the order of ``results``."""
    results = list(results)
    if not results:
        return []
    units = [result[0] for result in results]
    scores = [_score_and_veto(result) for result in results]
    office, government = bureau(), _person(Role.GOVERNMENT, "publication-government")
    expert = expert_user()
    items = list(cycle.standard.items())
    maxima = [item.max_points for item in items]
    with transaction.atomic():
        drafts = Application.objects.bulk_create(
            [
                Application(cycle=cycle, unit=unit, self_report="本单位已按评分标准逐项自查。")
                for unit in units
            ],
            batch_size=2000,
        )
        SelfScore.objects.bulk_create(
            [
                SelfScore(application=draft, item=item, score=share, notes="已落实")
                for draft, (score, _veto) in zip(drafts, scores, strict=True)
                for item, share in zip(items, split_score(score, maxima), strict=True)
            ],
            batch_size=5000,
        )
        accounts = _enterprise_accounts(units)
        for draft in drafts:
            advance(application=draft, actor=accounts[draft.unit_id], name="submit")

        issued = Application.objects.filter(cycle=cycle, receipt_number__isnull=False).count()
        serial = iter(range(issued + 1, issued + len(drafts) + 1))

        def number_receipt(locked: Application) -> None:
            locked.handler = office
            locked.receipt_number = RECEIPT_FORMAT.format(year=cycle.year, serial=next(serial))
            locked.accepted_at = timezone.now()

        advance_all(applications=drafts, actor=office, name="accept", before_save=number_receipt)
        advance_all(applications=drafts, actor=office, name="start_evaluation")
        Assignment.objects.bulk_create(
            [
                Assignment(
                    application=draft,
                    expert=expert.expert_profile,
                    assigned_by=office,
                    no_conflict_declared_at=timezone.now(),
                    signed_off_at=timezone.now(),
                )
                for draft in drafts
            ],
            batch_size=2000,
        )
        figures = {draft.pk: score for draft, score in zip(drafts, scores, strict=True)}

        def evaluated(locked: Application) -> None:
            score, veto = figures[locked.pk]
            locked.preliminary_score, locked.has_veto = score, veto
            locked.star = star_for(score, veto)
            locked.evaluated_at = timezone.now()

        def graded(locked: Application) -> None:
            locked.comprehensive_score = locked.preliminary_score
            locked.star = star_for(locked.comprehensive_score, locked.has_veto)
            locked.graded_at = timezone.now()

        advance_all(
            applications=drafts, actor=expert, name="complete_evaluation", before_save=evaluated
        )
        graded_all = advance_all(
            applications=drafts, actor=office, name="grade", before_save=graded
        )

        now = timezone.now()
        batch = publicity.open_batch(
            cycle=cycle,
            applications=graded_all,
            title=f"{cycle.name}安全生产诚信等级评定结果公示",
            starts_at=now - datetime.timedelta(days=8),
            ends_at=now + datetime.timedelta(minutes=1),
            actor=office,
        )
        # The comment period has run its course (no comments came in).
        PublicityBatch.objects.filter(pk=batch.pk).update(ends_at=now - datetime.timedelta(days=1))
        submission = confirmation.submit_to_government(
            batch=batch, items=list(batch.items.all()), note="请予确认。", actor=office
        )
        confirmation.decide(
            submission=submission,
            items=list(submission.items.all()),
            confirm=True,
            reason="同意。",
            actor=government,
        )
    by_pk = {
        application.pk: application
        for application in Application.objects.filter(
            pk__in=[draft.pk for draft in drafts]
        ).select_related("unit", "cycle")
    }
    return [by_pk[draft.pk] for draft in drafts]


def publish_confirmed(
    applications: Sequence[Application],
    *,
    published_on: datetime.date | None = None,
    with_certificates: bool = True,
) -> list[Rating]:
    """Publish confirmed applications of one cycle through the publication service, on
    ``published_on`` (default: 20 November of the cycle's year, or today if that is later)."""
    cycle = applications[0].cycle
    published_on = published_on or min(datetime.date(cycle.year, 11, 20), timezone.localdate())
    with transaction.atomic():
        number = (
            Publication.objects.filter(cycle=cycle).aggregate(n=Max("document_number"))["n"] or 0
        ) + 1
        scheduled = Publication.objects.create(
            cycle=cycle, publish_on=published_on, document_number=number, created_by=bureau()
        )
        scheduled.applications.set(applications)
        ratings = publication.publish(scheduled)
        if with_certificates:
            certificates.issue_certificates(scheduled)
    # A test's transaction never commits, so the public pages' cache would never hear of the
    # publication (its receiver waits for the commit); tell it as the commit would.
    bump()
    order = {application.pk: index for index, application in enumerate(applications)}
    return sorted(
        Rating.objects.filter(pk__in=[rating.pk for rating in ratings]).select_related(
            "unit", "cycle", "certificate"
        ),
        key=lambda rating: order[rating.application_id],
    )


def publish_results(
    results: Iterable[Result],
    *,
    year: int,
    published_on: datetime.date | None = None,
    revoked_reason: str = "",
    with_certificates: bool = True,
) -> list[Rating]:
    """Publish one result per (unit, star or score[, veto]) in ``year``'s cycle, all the way
    through the workflow; with ``revoked_reason`` each is then revoked with that public reason.
    Returns the ratings in the order given."""
    ratings = publish_confirmed(
        confirmed(list(results), past_cycle(year)),
        published_on=published_on,
        with_certificates=with_certificates,
    )
    if revoked_reason:
        ratings = [revoke(rating, revoked_reason) for rating in ratings]
    return ratings


def revoke(rating: Rating, reason: str) -> Rating:
    """The bureau revokes a published result with a public reason (``publication.revoke``)."""
    revoked = publication.revoke(rating=rating, reason=reason, actor=bureau())
    bump()  # as the revocation's commit would
    return revoked


def publish_one(unit, year: int, score, **options) -> Rating:
    """One unit's published result (``score`` a str/Decimal score or an int star)."""
    veto = options.pop("veto", False)
    [rating] = publish_results([(unit, score, veto)], year=year, **options)
    return rating
