"""Reads of the ratings stage, always through the user (404 when not theirs to see)."""

from __future__ import annotations

import re

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from assessments.models import Application, Kind, Status
from portal.models import Role
from units.models import visible_units_q

from .models import (
    AdverseNotice,
    Certificate,
    Comment,
    DisplayPeriod,
    Listing,
    Objection,
    Publication,
    PublicityBatch,
    PublicityItem,
    Rating,
    RatingReply,
    RepairRequest,
    Rerating,
    Submission,
    SubmissionItem,
)

VERIFICATION_CODE = re.compile(r"^[a-z2-9]{16}$")
# Statuses in which a comment still has to be answered before the result moves on.
AWAITING_ANSWER = (Status.IN_PUBLICITY,)
# Who reads publicity items, comments and ratings through these pages: the bureau, and a unit
# its own (each for the units it sees).
RATING_READERS = (Role.BUREAU, Role.ENTERPRISE)


def pending_comment_count() -> int:
    """Comments and objections not yet answered, on units still in publicity (open or closed
    batches not yet submitted to the government): the statistics dashboard shows it."""
    return Comment.objects.filter(
        answered_at__isnull=True, item__application__status__in=AWAITING_ANSWER
    ).count()


def _one(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as error:
        raise Http404 from error


# --- publicity -----------------------------------------------------------------------------


def graded_awaiting_publicity(cycle) -> QuerySet[Application]:
    """Graded annual applications: a re-rating opens a window of its own (from its page)."""
    return Application.objects.filter(cycle=cycle, status=Status.GRADED, kind=Kind.ANNUAL)


def batches_for_bureau() -> QuerySet[PublicityBatch]:
    return (
        PublicityBatch.objects.select_related("cycle")
        .annotate(
            item_count=Count("items", distinct=True),
            unanswered=Count(
                "items__comments", filter=Q(items__comments__answered_at__isnull=True)
            ),
            in_publicity=Count(
                "items", filter=Q(items__application__status=Status.IN_PUBLICITY), distinct=True
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def get_batch_for(user, pk: int) -> PublicityBatch:
    if user.role != Role.BUREAU:
        raise Http404
    return _one(batches_for_bureau(), pk)


def batch_items(batch: PublicityBatch) -> QuerySet[PublicityItem]:
    return (
        batch.items.select_related(
            "application__unit__area", "application__unit__industry", "batch"
        )
        .prefetch_related("comments")
        .order_by("-proposed_star", "application__unit__name")
    )


def items_for(user) -> QuerySet[PublicityItem]:
    queryset = PublicityItem.objects.select_related(
        "batch", "application__unit__area", "application__unit__industry", "application__cycle"
    )
    if user.role not in RATING_READERS:
        return queryset.none()
    return queryset.filter(visible_units_q(user, "application__unit"))


def get_item_for(user, pk: int) -> PublicityItem:
    return _one(items_for(user), pk)


def get_comment_for(user, pk: int) -> Comment:
    """Bureau: any comment; enterprise: comments and objections on its own unit."""
    queryset = Comment.objects.select_related("item__batch", "item__application__unit")
    if user.role not in RATING_READERS:
        queryset = queryset.none()
    return _one(queryset.filter(visible_units_q(user, "item__application__unit")), pk)


def open_public_items() -> QuerySet[PublicityItem]:
    """What the public sees during a window: unit, area, industry and the proposed star."""
    from django.utils import timezone

    now = timezone.now()
    return (
        PublicityItem.objects.filter(
            batch__starts_at__lte=now,
            batch__ends_at__gt=now,
            application__status=Status.IN_PUBLICITY,
        )
        .select_related("batch", "application__unit__area", "application__unit__industry")
        .order_by("batch__ends_at", "-proposed_star", "application__unit__name")
    )


def get_public_item_any_window(pk: int) -> PublicityItem:
    """An item that was ever in publicity (the comment form explains a closed window)."""
    return _one(PublicityItem.objects.select_related("batch", "application__unit__area"), pk)


# --- confirmation --------------------------------------------------------------------------


def submissions_for(user) -> QuerySet[Submission]:
    if user.role not in (Role.BUREAU, Role.GOVERNMENT):
        return Submission.objects.none()
    return (
        Submission.objects.select_related("batch", "cycle", "submitted_by")
        .annotate(
            item_count=Count("items"),
            pending=Count("items", filter=Q(items__decision=SubmissionItem.Decision.PENDING)),
        )
        .order_by("-submitted_at", "-pk")
    )


def get_submission_for(user, pk: int) -> Submission:
    return _one(submissions_for(user), pk)


def submission_items(submission: Submission) -> QuerySet[SubmissionItem]:
    return submission.items.select_related(
        "application__unit__area", "application__unit__industry", "decided_by"
    ).order_by("-application__star", "application__unit__name")


# --- publication and certificates ----------------------------------------------------------


def publications_for(user) -> QuerySet[Publication]:
    if user.role != Role.BUREAU:
        return Publication.objects.none()
    return (
        Publication.objects.select_related("cycle", "created_by")
        .annotate(rating_count=Count("ratings", distinct=True))
        .prefetch_related(
            Prefetch("certificate_jobs", to_attr="jobs"),
        )
        .order_by("-publish_on", "-pk")
    )


def get_publication_for(user, pk: int) -> Publication:
    return _one(publications_for(user), pk)


def ratings_for(user) -> QuerySet[Rating]:
    queryset = Rating.objects.select_related(
        "unit__area", "unit__industry", "cycle", "publication", "certificate"
    )
    if user.role not in RATING_READERS:
        return queryset.none()
    return queryset.filter(visible_units_q(user, "unit"))


def get_rating_for(user, pk: int) -> Rating:
    return _one(ratings_for(user), pk)


def reratings_for(user) -> QuerySet[Rerating]:
    """Re-rating requests: the bureau reads all, an enterprise its own unit's."""
    queryset = Rerating.objects.select_related(
        "application__unit", "application__cycle", "rating__cycle", "rating__unit"
    )
    if user.role not in RATING_READERS:
        return queryset.none()
    return queryset.filter(visible_units_q(user, "application__unit"))


def get_rerating_for(user, pk: int) -> Rerating:
    return _one(reratings_for(user), pk)


def get_certificate_for(user, pk: int) -> Certificate:
    return _one(
        Certificate.objects.select_related("rating__unit", "rating__cycle").filter(
            rating__in=ratings_for(user)
        ),
        pk,
    )


def is_well_formed_code(code: str) -> bool:
    return bool(VERIFICATION_CODE.match(code))


def certificate_by_code(code: str) -> Certificate | None:
    return (
        Certificate.objects.select_related("rating__unit__area", "rating__cycle")
        .filter(verification_code=code)
        .first()
    )


def public_ratings(cycle) -> QuerySet[Rating]:
    """Published results of a cycle, revoked ones included (their reason is public); a result
    replaced by its re-rating gives way to the new one; a no-star result only while its
    key-monitoring listing is on public display."""
    return (
        Rating.objects.final()
        .publicly_displayed()
        .filter(cycle=cycle)
        .select_related("unit__area", "unit__industry", "certificate")
        .order_by("-star", "unit__name")
    )


# --- the enterprise's reply ------------------------------------------------------------------


def replies_for(user) -> QuerySet[RatingReply]:
    queryset = RatingReply.objects.select_related(
        "rating__unit", "rating__cycle", "submitted_by", "decided_by"
    )
    if user.role not in RATING_READERS:
        return queryset.none()
    return queryset.filter(visible_units_q(user, "rating__unit"))


def get_reply_for(user, pk: int) -> RatingReply:
    return _one(replies_for(user), pk)


def published_reply(rating: Rating) -> RatingReply | None:
    """What the public sees beside a rating: its published reply while it is the current
    result (the next result hides it)."""
    if rating.superseded_on is not None:
        return None
    return rating.replies.published().first()


# --- key-monitoring list and credit repair -------------------------------------------------


def listings_of_unit(user):
    return (
        Listing.objects.filter(unit_id=user.unit_id)
        .select_related("rating__cycle")
        .prefetch_related("repair_requests")
    )


def get_listing_for_enterprise(user, pk: int):
    return _one(Listing.objects.filter(unit_id=user.unit_id), pk)


def get_repair_request_for(user, pk: int):
    """The bureau reads every request; an enterprise only its own unit's (else 404)."""
    requests = RepairRequest.objects.select_related("listing__rating__cycle", "unit")
    if user.role != Role.BUREAU:
        requests = requests.filter(unit_id=user.unit_id)
    return _one(requests, pk)


def repair_requests_for_bureau():
    return RepairRequest.objects.select_related("unit", "listing").order_by(
        F("decided_on").asc(nulls_first=True), "due_on", "pk"
    )


def get_display_period(pk: int):
    """Reference data: every row is the bureau's to edit."""
    return _one(DisplayPeriod.objects.all(), pk)


# --- due process: notices and objections ---------------------------------------------------


def get_notice_for(user, pk: int):
    """A notice (告知书): the bureau and the unit it was issued to."""
    queryset = AdverseNotice.objects.select_related("application__unit", "application__cycle")
    if user.role == "enterprise":
        queryset = queryset.filter(application__unit_id=user.unit_id)
    elif user.role != "bureau":
        raise Http404
    return _one(queryset, pk)


def notices_for_enterprise(user) -> QuerySet:
    return AdverseNotice.objects.filter(
        application__unit_id=user.unit_id, superseded_at__isnull=True
    ).select_related("application__cycle")


def get_objection_for(user, pk: int):
    """An objection: the bureau and the unit that filed it."""
    queryset = Objection.objects.select_related(
        "application__unit", "application__cycle", "notice", "rating", "decided_by", "filed_by"
    )
    if user.role == "enterprise":
        queryset = queryset.filter(application__unit_id=user.unit_id)
    elif user.role != "bureau":
        raise Http404
    return _one(queryset, pk)


def objections_for(user) -> QuerySet:
    queryset = Objection.objects.select_related("application__unit", "application__cycle")
    if user.role == "enterprise":
        return queryset.filter(application__unit_id=user.unit_id)
    if user.role == "bureau":
        return queryset
    return queryset.none()
