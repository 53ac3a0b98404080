"""Selectors for what anyone may read of published ratings (SPEC §5, public level).

Public fields: unit name, credit code, area, industry, cycle, star level, certificate number,
validity and status, and revocations with their public reason. Never the score, the veto
findings, contact details or anything else of the archive.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from assessments.models import Cycle
from portal.archive import Disclosure, disclosure_for
from portal.name_search import filter_name
from portal.prepared import Marker, PreparedRead
from ratings.models import Certificate, Rating, RatingReply
from units.credit_code import normalize
from units.models import Unit

from .filters import ALL_CYCLES

# The fields of the open-data API and CSV, in order. Stable: renaming one breaks consumers.
PUBLIC_FIELDS = (
    "id",
    "credit_code",
    "unit_name",
    "area",
    "industry",
    "cycle",
    "cycle_name",
    "star",
    "star_label",
    "published_on",
    "certificate_number",
    "certificate_valid_until",
    "certificate_status",
    "revoked",
    "revoked_on",
    "revocation_reason",
    "url",
    "enterprise_reply",
    "enterprise_reply_published_on",
)


def published_cycles() -> list[Cycle]:
    """Cycles with at least one published rating, newest first."""
    has_ratings = Exists(Rating.objects.filter(cycle_id=OuterRef("pk")))
    return list(Cycle.objects.filter(has_ratings).order_by("-year"))


# H5's verification page; linked by path so this module does not depend on its URL name.
CERTIFICATE_VERIFY_PATH = "/certificates/verify/{code}/"


def verification_path(certificate: Certificate) -> str:
    return CERTIFICATE_VERIFY_PATH.format(code=certificate.verification_code)


def public_ratings() -> QuerySet[Rating]:
    """What anyone may read: a no-star result only while its listing is on public display."""
    return Rating.objects.publicly_displayed().select_related(
        "unit", "unit__area", "unit__industry", "cycle", "certificate"
    )


def with_published_reply(queryset: QuerySet[Rating]) -> QuerySet[Rating]:
    """Each rating with the enterprise's published reply, if it is still the unit's current
    result (the next result hides it): one subquery per column, not a query per row."""
    published = RatingReply.objects.published().filter(
        rating=OuterRef("pk"), rating__superseded_on__isnull=True
    )
    return queryset.annotate(
        reply_text=Subquery(published.values("published_text")[:1]),
        reply_at=Subquery(published.values("decided_at")[:1]),
    )


def looks_like_credit_code(text: str) -> bool:
    text = normalize(text)
    return len(text) == 18 and text.isalnum() and text.isascii()


def filter_ratings(queryset: QuerySet[Rating], data: dict) -> QuerySet[Rating]:
    """Apply cleaned RatingFilterForm data.

    ``cycle`` is a year, ``all``, or empty: each unit's current result, whatever year it was
    published in (a partial index keeps this the cheap default, docs/decisions/0055).
    """
    q = (data.get("q") or "").strip()
    if q:
        if looks_like_credit_code(q):
            queryset = queryset.filter(unit__credit_code=normalize(q))
        else:
            queryset = filter_name(queryset, q, field="unit__name")
    if data.get("name"):
        queryset = filter_name(queryset, data["name"], field="unit__name")
    if data.get("credit_code"):
        queryset = queryset.filter(unit__credit_code=data["credit_code"])
    if data.get("area"):
        queryset = queryset.filter(unit__area__name=data["area"])
    if data.get("industry"):
        queryset = queryset.filter(unit__industry__name=data["industry"])
    if data.get("star") is not None:
        queryset = queryset.filter(star=data["star"])
    cycle = data.get("cycle")
    if not cycle:
        queryset = queryset.current()
    elif cycle != ALL_CYCLES:
        queryset = queryset.final().filter(cycle__year=cycle)
    return queryset


# A two-character fragment held by at most this many units is sorted, not walked (below).
FEW_LIMIT = 10_000


def search_results(data: dict) -> QuerySet[Rating]:
    """The public search's matches in the order shown: by unit name, newest cycle first.

    For a two-character fragment the planner may walk the name index in order and test each
    name, expecting matches spread evenly. A fragment such as 市隆 (4,600 of 1,000,000 names) is
    only in names beginning 新郑市, late in name order: that walk read most of the index for 20
    rows (5–7 s at province scale, docs/benchmarks/public-cold-province.md). When one probe of
    the bigram index finds at most ``FEW_LIMIT`` units holding the fragment, the same order is
    given as an expression the name index cannot serve: the bigram index finds the matches and
    they are sorted."""
    results = filter_ratings(public_ratings(), data)
    if _few_holders(data):
        return results.order_by(Concat("unit__name", Value("")), "-cycle__year", "pk")
    return results.order_by("unit__name", "-cycle__year", "pk")


def _few_holders(data: dict) -> bool:
    q = "".join((data.get("q") or "").split())
    fragment = "" if looks_like_credit_code(q) else q
    fragment = fragment or "".join((data.get("name") or "").split())
    if len(fragment) != 2:
        return False  # longer fragments are found by the bigram index and sorted anyway
    holders = filter_name(Unit.objects.order_by(), fragment).values("pk")
    return not holders[FEW_LIMIT : FEW_LIMIT + 1].exists()


def certificate_of(rating: Rating) -> Certificate | None:
    try:
        return rating.certificate
    except Certificate.DoesNotExist:
        return None


def public_row(rating: Rating, *, base_url: str = "") -> dict:
    """One rating as the open-data API and CSV publish it (field names: PUBLIC_FIELDS)."""
    certificate = certificate_of(rating)
    unit = rating.unit
    return {
        "id": rating.pk,
        "credit_code": unit.credit_code,
        "unit_name": unit.name,
        "area": unit.area.name,
        "industry": unit.industry.name,
        "cycle": rating.cycle.year,
        "cycle_name": rating.cycle.name,
        "star": rating.star,
        "star_label": str(rating.get_star_display()),
        "published_on": rating.published_on.isoformat(),
        "certificate_number": certificate.number if certificate else None,
        "certificate_valid_until": certificate.valid_until.isoformat() if certificate else None,
        "certificate_status": str(certificate.state()) if certificate else None,
        "revoked": rating.is_revoked,
        "revoked_on": revoked_on(rating).isoformat() if rating.is_revoked else None,
        "revocation_reason": rating.revocation_reason if rating.is_revoked else None,
        "url": base_url + reverse("public:unit", args=[unit.credit_code]),
        # The enterprise's own words, published after the bureau's review (decision 0101).
        "enterprise_reply": getattr(rating, "reply_text", None),
        "enterprise_reply_published_on": (
            timezone.localdate(rating.reply_at).isoformat()
            if getattr(rating, "reply_at", None)
            else None
        ),
    }


def revoked_on(rating: Rating) -> datetime.date | None:
    return timezone.localdate(rating.revoked_at) if rating.revoked_at else None


@dataclass
class PublishedReply:
    """The enterprise's published reply as the unit page shows it (read with the ratings)."""

    published_text: str
    decided_at: datetime.datetime
    shortened: bool


@dataclass
class UnitPage:
    unit: Unit
    level: Disclosure
    # What this viewer may see of the unit's ratings, newest first.
    ratings: list[Rating]
    # Every rating of the unit, displayed or not, each with its credit repair: the public
    # status changes (when it was listed and lifted) read them too.
    unit_ratings: list[Rating]

    @property
    def current(self) -> Rating | None:
        """The latest published rating (revoked or not: a revocation is news too); None when
        the public may not see it (a key-monitoring listing whose display has ended)."""
        if not self.ratings or self.ratings[0].superseded_on is not None:
            return None
        return self.ratings[0]

    @property
    def revocations(self) -> list[Rating]:
        return [rating for rating in self.ratings if rating.is_revoked]

    @property
    def reply(self) -> PublishedReply | None:
        """The published reply beside the current result (the next result hides it)."""
        current = self.current
        if current is None or current.reply_at is None:
            return None
        return PublishedReply(current.reply_text, current.reply_at, current.reply_shortened)


# What the unit page reads: a page that nothing caches must stay cheap (issue #15).
# The public's page reads the unit with its ratings, only what the public may see of it.
PUBLIC_UNIT_FIELDS = ("unit__name", "unit__credit_code", "unit__area__name", "unit__industry__name")
UNIT_PAGE_RATING_FIELDS = (
    "unit_id",
    "star",
    "comprehensive_score",
    "has_veto",
    "published_on",
    "revoked_at",
    "revocation_reason",
    "superseded_on",
    "cycle__year",
    "cycle__name",
    "certificate__number",
    "certificate__verification_code",
    "certificate__valid_until",
    "certificate__superseded_on",
    "listing__display_ends_on",
    "listing__repaired_on",
    "credit_repair__reason",
    "credit_repair__lifted_on",
)


def _unit_ratings(today: datetime.date, **unit) -> QuerySet[Rating]:
    """All ratings of the unit, newest first, each with its cycle, certificate, listing,
    credit repair, published reply and whether the public may read it today."""
    reply = RatingReply.objects.published().filter(rating=OuterRef("pk")).order_by()
    return (
        Rating.objects.filter(**unit)
        .with_public_display(today)
        .select_related("cycle", "certificate", "listing", "credit_repair")
        .annotate(
            reply_text=Subquery(reply.values("published_text")[:1]),
            reply_at=Subquery(reply.values("decided_at")[:1]),
            reply_shortened=Subquery(reply.values("shortened")[:1]),
        )
        .order_by("-cycle__year")
    )


def _public_page_ratings(code: str, today: datetime.date) -> QuerySet[Rating]:
    approved = Unit.Status.APPROVED
    return (
        _unit_ratings(today, unit__credit_code=code, unit__status=approved)
        .select_related("unit__area", "unit__industry")
        .only(*UNIT_PAGE_RATING_FIELDS, *PUBLIC_UNIT_FIELDS)
    )


def _insider_unit(code: str) -> QuerySet[Unit]:
    units = Unit.objects.filter(credit_code=code, status=Unit.Status.APPROVED)
    return units.select_related("area", "industry", "supervising_department")


def _insider_page_ratings(unit_id: int, today: datetime.date) -> QuerySet[Rating]:
    return _unit_ratings(today, unit_id=unit_id).only(*UNIT_PAGE_RATING_FIELDS)


# Compiled once per process (portal/prepared.py): the page's reads cost PostgreSQL's time,
# not the ORM's compile of the same SQL on every request.
_read_public_page = PreparedRead(
    _public_page_ratings, code=Marker.text("code"), today=Marker.date("today")
)
_read_insider_unit = PreparedRead(_insider_unit, code=Marker.text("code"))
_read_insider_page = PreparedRead(
    _insider_page_ratings, unit_id=Marker.number("unit_id"), today=Marker.date("today")
)


def get_unit_page_for(user, credit_code: str) -> UnitPage:
    """A unit's page for this viewer, or 404.

    The public only sees units that have a published rating; viewers with a wider disclosure
    level (departments, the unit's township or regulator, the bureau, the unit itself) see any
    registered unit's archive, rated or not. The public's page is one query whatever the
    unit's history: all its ratings, each with the unit, cycle, certificate, listing, credit
    repair and published reply. An insider's is two: the whole unit, then its ratings.
    """
    code, today = normalize(credit_code), timezone.localdate()
    if user is None or not user.is_authenticated:
        unit_ratings = _read_public_page(code=code, today=today)
        ratings = [rating for rating in unit_ratings if rating.is_publicly_displayed]
        if not ratings:
            raise Http404
        unit = ratings[0].unit
        return UnitPage(
            unit=unit, level=Disclosure.PUBLIC, ratings=ratings, unit_ratings=unit_ratings
        )
    found = _read_insider_unit(code=code)
    if not found:
        raise Http404
    unit = found[0]
    level = disclosure_for(user, unit)
    unit_ratings = _read_insider_page(unit_id=unit.pk, today=today)
    ratings = unit_ratings
    if level == Disclosure.PUBLIC:
        ratings = [rating for rating in unit_ratings if rating.is_publicly_displayed]
        if not ratings:
            raise Http404
    return UnitPage(unit=unit, level=level, ratings=ratings, unit_ratings=unit_ratings)
