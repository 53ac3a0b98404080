"""Selectors for what anyone may read of published ratings (SPEC §5, public level).

Public fields: unit name, credit code, area, industry, cycle, star level, certificate number,
validity and status, and revocations with their public reason. Never the score, the veto
findings, contact details or anything else of the archive.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page
from django.db import connections, router
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from assessments.models import Cycle
from assessments.stars import Star
from portal.archive import Disclosure, disclosure_for
from portal.paging import CappedPaginator
from portal.prepared import Marker, PreparedRead, ValuesByIds, preparing_cursor
from public.models import SearchEntry
from ratings.models import Certificate, Rating, RatingReply
from units.credit_code import normalize
from units.models import Unit

from .search_query import ENTRIES, Where, holders, holders_by_id, walk_of_holders, where

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


def matching_entries(data: dict) -> QuerySet[SearchEntry]:
    """The search entries that cleaned RatingFilterForm data selects (public/search_query.py)."""
    return SearchEntry.objects.filter(where(data, timezone.localdate()).as_filter())


def search_page(data: dict, number, per_page: int, *, cap: int) -> Page:
    """The public search's page ``number`` (Paginator.get_page's leniency), its object_list
    the cards' rows (CARD_COLUMNS) in the order shown: by unit name, newest cycle first.

    The first ``cap + 1`` matches in name order are the count (up to ``cap``) and every page
    at once. For a name fragment alone they are read from its pair's holders (decision 0115);
    for an area and a star, from their index in name order (decision 0117). Otherwise one
    query finds up to ``cap + 1`` matches through the bigram or area index and sorts them,
    which is the same when they are all. When there are more, the page is looked for by
    walking the name index (``_walked``), else by sorting them all.
    """
    today = timezone.localdate()
    chosen = where(data, today)
    # Current results are one per unit, so the name and the id order them.
    then = "" if chosen.current else f"{ENTRIES}.cycle_year DESC, "
    matches = Matches(chosen, f"({ENTRIES}.unit_name || ''), {then}{ENTRIES}.rating_id")
    # The first matches in name order, as many as a walk of a pair's holders found.
    first, complete = _first_by_pair(chosen, cap + 1) if chosen.pair else ([], False)
    found, in_order = first, complete or len(first) > cap
    if chosen.by_area_and_star:
        found, in_order = matches.in_name_order(cap + 1), True
    elif not in_order:
        found = matches.first(cap + 1)
        in_order = len(found) <= cap
    paginator = CappedPaginator(found, per_page, cap=cap)
    page = paginator.get_page(number)
    if not in_order:
        # The cap + 1 found are some of the matches, not the first in name order.
        window = slice(page.start_index() - 1, page.end_index())
        if len(first) >= window.stop:
            ids = first[window]
        elif chosen.pair:  # the pair's holders in name order held too few: sort
            ids = None
        else:
            ids = _walked(chosen, where({**data, "q": "", "name": ""}, today), page)
        page.object_list = matches.ids(window) if ids is None else ids
    page.object_list = card_rows(list(page.object_list))
    return page


# The open data's order: publication order, stable for consumers paging through.
BY_ID = f"{ENTRIES}.rating_id"


class Matches:
    """The entries a search selects, as a paginator reads them: a count, whole or capped, and
    a page's window, whose ids ``ids`` then reads in ``order`` (SQL of ENTRIES' columns)."""

    def __init__(self, chosen: Where, order: str):
        self.chosen = chosen
        self.order = order
        # A two-character fragment's first holders in publication order, when count_up_to
        # read them: every page a capped count lets a reader reach.
        self._first: list[int] | None = None

    def count(self) -> int:
        sql = f"SELECT count(*) FROM {ENTRIES} WHERE {self.chosen.sql}"  # noqa: S608 # nosec B608
        return _rows(sql, self.chosen.params)[0][0]

    def count_up_to(self, limit: int) -> int:
        if self.chosen.whole_pair and self.order == BY_ID:
            self._first = _ids(*holders_by_id(self.chosen, limit), prepared=True)
            return len(self._first)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {ENTRIES} WHERE {self.chosen.sql} LIMIT %s) s"  # noqa: S608 # nosec B608
        return _rows(sql, (*self.chosen.params, limit))[0][0]

    def __getitem__(self, window: slice) -> slice:
        return window

    def first(self, limit: int) -> list[int]:
        """Up to ``limit`` matches, whichever the index finds first, in ``order``: the inner
        LIMIT keeps PostgreSQL from walking an index in ``order`` to find them."""
        sql = (
            f"SELECT rating_id FROM (SELECT {ENTRIES}.rating_id, {ENTRIES}.unit_name, "  # noqa: S608 # nosec B608
            f"{ENTRIES}.cycle_year FROM {ENTRIES} WHERE {self.chosen.sql} LIMIT %s) "
            f"AS {ENTRIES} ORDER BY {self.order}"
        )
        return _ids(sql, (*self.chosen.params, limit))

    def in_name_order(self, limit: int) -> list[int]:
        """The first ``limit`` matches in name order, read from an index in that order: only
        for a search one serves (``Where.by_area_and_star``), else it sorts every match."""
        sql = (
            f"SELECT rating_id FROM {ENTRIES} WHERE {self.chosen.sql} "  # noqa: S608 # nosec B608
            f"ORDER BY {ENTRIES}.unit_name, {ENTRIES}.rating_id LIMIT %s"
        )
        return _ids(sql, (*self.chosen.params, limit), prepared=True)

    def ids(self, window: slice) -> list[int]:
        if self._first is not None and window.stop <= len(self._first):
            return self._first[window]
        sql = (
            f"SELECT {ENTRIES}.rating_id FROM {ENTRIES} WHERE {self.chosen.sql} "  # noqa: S608 # nosec B608
            f"ORDER BY {self.order} LIMIT %s OFFSET %s"
        )
        size = window.stop - window.start
        return _ids(sql, (*self.chosen.params, size, window.start))


def _first_by_pair(chosen: Where, limit: int) -> tuple[list[int], bool]:
    """The first matches in name order, up to ``limit``, through the pairs
    (search_query.holders), and whether they are all the matches up to ``limit``. Every match
    holds the pair, so its holders in name order list them in order: a two-character
    fragment's are all there; a longer fragment's are those among the first PAIR_WALK_LIMIT
    holders of its rarest pair, which are all when the pair has no more holders."""
    if chosen.whole_pair:
        return _ids(*holders(chosen, limit), prepared=True), True
    ((found, walked),) = _rows(*walk_of_holders(chosen, PAIR_WALK_LIMIT), prepared=True)
    return found[:limit], walked < PAIR_WALK_LIMIT


# How many holders of a longer fragment's pair are tested before the bigram index is asked.
PAIR_WALK_LIMIT = 1_000


def _ids(sql: str, params: tuple, *, prepared: bool = False) -> list[int]:
    """The first column of every row: the rating ids a search's SQL selects."""
    return [row[0] for row in _rows(sql, params, prepared=prepared)]


def _rows(sql: str, params: tuple, *, prepared: bool = False) -> list[tuple]:
    """The rows of a search's SQL. ``prepared`` for a read of one range of one index whatever
    the values (a pair's holders, an area and star's entries), so one plan serves them all:
    planning it on every request cost more than reading it (the pair's statistics are ten
    thousand values long)."""
    connection = connections[router.db_for_read(SearchEntry)]
    with preparing_cursor(connection) if prepared else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# How far a walk in name order reads before the matches are sorted instead.
WALK_LIMIT = 5_000


def _walked(chosen: Where, others: Where, page: Page) -> list[int] | None:
    """The page's ids among the first WALK_LIMIT current entries in name order, or None when
    the page is not among them.

    A fragment in many names fills a page after a few entries of the name index; sorting all
    its holders would cost as many as there are (half the city for 新郑). But "many" says
    nothing about where they lie: the 4,600 holders of 市隆 at province scale are all in names
    beginning 新郑市, late in name order, and an unbounded walk read most of the index first
    (5–7 s). So the walk reads at most WALK_LIMIT entries — the covering index
    search_entry_current_name alone, testing each name — and only then does the caller sort.
    ``others`` is what was asked besides the names.
    """
    holds = " AND ".join(["strpos(lower(unit_name), %s) > 0"] * len(chosen.fragments)) or "TRUE"
    offset = page.start_index() - 1
    wanted = page.end_index() - offset
    sql = (
        f"SELECT rating_id FROM (SELECT {ENTRIES}.rating_id, {ENTRIES}.unit_name "  # noqa: S608 # nosec B608
        f"FROM {ENTRIES} WHERE {others.sql} ORDER BY {ENTRIES}.unit_name, {ENTRIES}.rating_id "
        f"LIMIT %s) AS head WHERE {holds} ORDER BY unit_name, rating_id LIMIT %s OFFSET %s"
    )
    found = _ids(sql, (*others.params, WALK_LIMIT, *chosen.fragments, wanted, offset))
    return found if len(found) == wanted else None


# What a result card shows (public/views/search.py).
CARD_COLUMNS = (
    *("rating_id", "unit_name", "credit_code", "star", "cycle_year", "area_id", "industry_id"),
    *("rating__revoked_at", "rating__cycle__name"),
    *("rating__certificate__number", "rating__certificate__valid_until"),
    "rating__certificate__superseded_on",
)
# What the open data publishes besides (public_rows).
OPEN_DATA_COLUMNS = (*CARD_COLUMNS, "rating__published_on", "rating__revocation_reason")


def certificate_of(rating: Rating) -> Certificate | None:
    try:
        return rating.certificate
    except Certificate.DoesNotExist:
        return None


def open_data_rows(entries: QuerySet[SearchEntry]):
    """The entries' open-data columns (OPEN_DATA_COLUMNS and the published reply) as dicts:
    one query, no model instances, for every row of the CSV. The reply shows while its rating
    is the unit's current result (the next result hides it)."""
    published = RatingReply.objects.published().filter(
        rating=OuterRef("rating_id"), rating__superseded_on__isnull=True
    )
    return entries.annotate(
        reply_text=Subquery(published.values("published_text")[:1]),
        reply_at=Subquery(published.values("decided_at")[:1]),
    ).values(*OPEN_DATA_COLUMNS, "reply_text", "reply_at")


# A page's rows by their ids, in the order of the ids: one query by primary key, its SQL
# compiled once (portal/prepared.py). The cards' columns (CARD_COLUMNS) and the open data's.
card_rows = ValuesByIds(lambda: SearchEntry.objects.values(*CARD_COLUMNS), "rating_id")
open_data_page = ValuesByIds(lambda: open_data_rows(SearchEntry.objects.all()), "rating_id")


def certificate_state(row: dict, today) -> str | None:
    """``Certificate.State`` of a row with CARD_COLUMNS; None when the rating has none."""
    if not row["rating__certificate__number"]:
        return None
    return Certificate.state_of(
        revoked=row["rating__revoked_at"] is not None,
        valid_until=row["rating__certificate__valid_until"],
        superseded_on=row["rating__certificate__superseded_on"],
        today=today,
    )


# A credit code is 18 letters and digits (units.credit_code): it needs no quoting in a path.
CODE_PLACEHOLDER = "0" * 18


def unit_url_pattern(base_url: str = "") -> str:
    """The unit page's URL with CODE_PLACEHOLDER for the credit code: pages of results reverse
    it once, not once per row."""
    return base_url + reverse("public:unit", args=[CODE_PLACEHOLDER])


def public_rows(rows, *, choices: dict, base_url: str = ""):
    """Each rating as the open-data API and CSV publish it (field names: PUBLIC_FIELDS), from
    ``open_data_rows`` rows; area and industry names from the filter choices' ids."""
    today = timezone.localdate()
    unit_url = unit_url_pattern(base_url)
    star_labels = {star: str(label) for star, label in Star.choices}
    for row in rows:
        revoked_at = row["rating__revoked_at"]
        number = row["rating__certificate__number"]
        valid_until = row["rating__certificate__valid_until"]
        state = certificate_state(row, today)
        yield {
            "id": row["rating_id"],
            "credit_code": row["credit_code"],
            "unit_name": row["unit_name"],
            "area": choices["area_names"].get(row["area_id"]),
            "industry": choices["industry_names"].get(row["industry_id"]),
            "cycle": row["cycle_year"],
            "cycle_name": row["rating__cycle__name"],
            "star": row["star"],
            "star_label": star_labels[row["star"]],
            "published_on": row["rating__published_on"].isoformat(),
            "certificate_number": number,
            "certificate_valid_until": valid_until.isoformat() if number else None,
            "certificate_status": str(state) if number else None,
            "revoked": revoked_at is not None,
            "revoked_on": timezone.localdate(revoked_at).isoformat() if revoked_at else None,
            "revocation_reason": row["rating__revocation_reason"] if revoked_at else None,
            "url": unit_url.replace(CODE_PLACEHOLDER, row["credit_code"]),
            # The enterprise's own words, published after the bureau's review (decision 0101).
            "enterprise_reply": row["reply_text"],
            "enterprise_reply_published_on": (
                timezone.localdate(row["reply_at"]).isoformat() if row["reply_at"] else None
            ),
        }


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
