"""Credit repair and service ratings (好差评): who may apply, decide, rate and answer.

``objects(world)`` publishes world.unit without a star (a cycle year of its own) through the
real path, lets it apply for repair after the shortest period, and rates its receipt 1 (a
ticket the bureau must answer)."""

import datetime
from types import SimpleNamespace

from .rules import Rule

BUREAU = frozenset({"bureau"})
ENTERPRISES = frozenset({"enterprise", "enterprise_other"})


def objects(world) -> SimpleNamespace:
    if getattr(world, "repair", None) is None:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.utils import timezone

        from assessments.models import ServiceRating, TransactionKind
        from assessments.services.service_ratings import rate
        from ratings.models import DisplayPeriod, Listing
        from ratings.services.repair import apply_for_repair
        from tests.assessment_support import PDF_BYTES
        from tests.repair_support import on, published_no_star

        rating = published_no_star(world, number=77, year=2019)
        listing = Listing.objects.get(rating=rating)
        with on(listing.repair_from):
            request = apply_for_repair(
                listing=listing,
                statement="已整改",
                evidence=SimpleUploadedFile("验收.pdf", PDF_BYTES),
                evidence_type="application/pdf",
                actor=world.users["enterprise"],
            )
        offered = ServiceRating.objects.filter(
            unit=world.unit, kind=TransactionKind.RECEIPT
        ).first()
        ticket = rate(rating=offered, score=1, comment="等了很久", actor=world.users["enterprise"])
        assert ticket.due_on >= timezone.localdate() - datetime.timedelta(days=1)
        world.repair = SimpleNamespace(
            listing=listing,
            request=request,
            period=DisplayPeriod.objects.get(reason="score"),
            ticket=ticket,
        )
    return world.repair


def _pk(name):
    return lambda w: {"pk": getattr(objects(w), name).pk}


ACCESS = {
    "ratings:repair_mine": Rule(ENTERPRISES),
    # Another unit's listing is a 404.
    "ratings:repair_apply": Rule(frozenset({"enterprise"}), kwargs=_pk("listing"), method="post"),
    "ratings:repair_list": Rule(BUREAU),
    "ratings:repair_detail": Rule(BUREAU, kwargs=_pk("request")),
    "ratings:repair_decide": Rule(BUREAU, kwargs=_pk("request"), method="post"),
    "ratings:repair_evidence": Rule(BUREAU | {"enterprise"}, kwargs=_pk("request")),
    "ratings:display_periods": Rule(BUREAU),
    "ratings:display_period_edit": Rule(BUREAU, kwargs=_pk("period"), method="post"),
    "feedback:mine": Rule(ENTERPRISES),
    # Rating someone else's transaction is a 404; the ticket (world.unit's) is already rated.
    "feedback:rate": Rule(frozenset({"enterprise"}), kwargs=_pk("ticket"), method="post"),
    "feedback:tickets": Rule(BUREAU),
    "feedback:ticket_answer": Rule(BUREAU, kwargs=_pk("ticket"), method="post"),
}
