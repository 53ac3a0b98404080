"""The public search's SQL, written from what the visitor asked (issue #15, decision 0114).

The search reads one table, the search entries (public/models.py), and every filter is one of
its columns, so its WHERE is a few fixed clauses chosen by what was asked. They are written here
as SQL rather than as a queryset because Django compiled the search's querysets on every
request, and on a page the cache cannot help that compiling cost more than PostgreSQL's work.
The open-data API and CSV filter with the same clauses (``Where.as_filter``): one set of rules.
"""

import datetime
import time
from dataclasses import dataclass
from functools import cache

from django.db import connection, connections, router
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from portal.name_search import bigrams
from public.models import SearchEntry, SearchPair
from ratings.models import replaced_by_rerating
from units.credit_code import normalize
from units.models import Unit

from .filters import ALL_CYCLES

ENTRIES = connection.ops.quote_name(SearchEntry._meta.db_table)
PAIRS = connection.ops.quote_name(SearchPair._meta.db_table)
UNITS = connection.ops.quote_name(Unit._meta.db_table)


def looks_like_credit_code(text: str) -> bool:
    text = normalize(text)
    return len(text) == 18 and text.isalnum() and text.isascii()


def name_fragment(text: str | None) -> str:
    """A name fragment as it is matched: without spaces, lower case."""
    return "".join((text or "").split()).lower()


@cache
def _replaced_by_rerating() -> tuple[str, tuple]:
    # The rule stays in ratings; its SQL (no values that change) is compiled once.
    return replaced_by_rerating().query.sql_with_params()


@dataclass(frozen=True)
class Where:
    """The entries a search selects: ``sql`` (columns qualified by ENTRIES) and its params."""

    sql: str
    params: tuple
    # Name fragments the visitor typed (name_fragment): the walk in name order tests them.
    fragments: tuple[str, ...]
    # Only current results (no cycle chosen): at most one per unit.
    current: bool
    # When the search is one name fragment among current results and nothing else: one of its
    # character pairs, whose holders are one range of the pairs' primary key (``holders``).
    pair: str | None
    today: datetime.date
    # An area and a star among current results, no name: the index search_entry_current_area
    # lists the matches in name order (results.py ``Matches.in_name_order``).
    by_area_and_star: bool = False

    @property
    def whole_pair(self) -> bool:
        """The fragment is its one pair: the pair's holders are exactly the matches."""
        return self.pair is not None and len(self.fragments[0]) == 2

    def as_filter(self) -> RawSQL:
        """The same clauses for a SearchEntry queryset's ``filter()``."""
        # Clauses of this module, values as params: nothing the visitor typed is in the SQL.
        return RawSQL(self.sql, self.params, output_field=BooleanField())  # noqa: S611 # nosec B611


def where(data: dict, today) -> Where:
    """The clauses for cleaned RatingFilterForm data. ``cycle`` is a year, ``all``, or empty:
    each unit's current result, whatever year it was published in (docs/decisions/0055)."""
    clauses = [_displayed(ENTRIES)]
    params: list = [today]
    cycle = data.get("cycle")
    current = not cycle
    if current:
        clauses.append(f"{ENTRIES}.is_current")
    elif cycle != ALL_CYCLES:
        replaced, replaced_params = _replaced_by_rerating()
        clauses += [f"{ENTRIES}.cycle_year = %s", f"{ENTRIES}.rating_id NOT IN ({replaced})"]
        params += [cycle, *replaced_params]
    fragments = []
    q = data.get("q") or ""
    by_code = looks_like_credit_code(q) or bool(data.get("credit_code"))
    if looks_like_credit_code(q):
        clauses.append(f"{ENTRIES}.credit_code = %s")
        params.append(normalize(q))
        q = ""
    for text in (q, data.get("name")):
        if fragment := name_fragment(text):
            fragments.append(fragment)
            name_sql, name_params = _holds(fragment, current=current)
            clauses.append(name_sql)
            params += name_params
    for column in ("credit_code", "area_id", "industry_id", "star"):
        if data.get(column) not in (None, ""):
            clauses.append(f"{ENTRIES}.{column} = %s")
            params.append(data[column])
    # The display rule, "current" and one name fragment: nothing else was asked.
    only_a_fragment = current and len(fragments) == 1 and len(clauses) == 3
    pair = _rarest_pair(fragments[0]) if only_a_fragment and len(fragments[0]) >= 2 else None
    # An area and a star, and no name or credit code: their index serves the name order.
    by_area_and_star = (
        current
        and not fragments
        and not by_code
        and all(data.get(column) not in (None, "") for column in ("area_id", "star"))
    )
    return Where(
        " AND ".join(clauses),
        tuple(params),
        tuple(fragments),
        current,
        pair,
        today,
        by_area_and_star,
    )


def _rarest_pair(fragment: str) -> str:
    """The fragment's character pair that the fewest names hold, by PostgreSQL's statistics
    of the pairs: its holders are the shortest walk (results.py _first_by_pair)."""
    frequencies = _pair_frequencies()
    return min(bigrams(fragment), key=lambda pair: frequencies.get(pair, 0.0))


# The most common pairs' shares of all pairs (ANALYZE's most common values), read at most
# once an hour per process: a guide to the walk, never an answer. A pair not listed is rarer.
_FREQUENCIES_SECONDS = 3600
_frequencies: dict = {"read_at": None, "shares": {}}


def _pair_frequencies() -> dict[str, float]:
    now = time.monotonic()
    read_at = _frequencies["read_at"]
    if read_at is None or now - read_at > _FREQUENCIES_SECONDS:
        with connections[router.db_for_read(SearchPair)].cursor() as cursor:
            cursor.execute(
                "SELECT most_common_vals::text::varchar[], most_common_freqs FROM pg_stats "
                "WHERE tablename = %s AND attname = 'pair'",
                [SearchPair._meta.db_table],
            )
            found = cursor.fetchone()
        _frequencies["shares"] = dict(zip(*found, strict=True)) if found and found[0] else {}
        _frequencies["read_at"] = now
    return _frequencies["shares"]


def _displayed(table: str) -> str:
    """What the public may read today: a no-star result only until its listing's display
    ends (Rating.objects.publicly_displayed, in the entries' own column)."""
    return f"({table}.display_ends_on IS NULL OR {table}.display_ends_on > %s)"


def holders(chosen: Where, limit: int) -> tuple[str, tuple]:
    """SQL for the first ``limit`` holders of ``chosen.pair`` in name order (ids), read from
    one range of the pairs' primary key: as cheap for a pair in half of all names, or in names
    clustered at the end of the name order, as for a rare one. For a two-character fragment
    they are its matches."""
    sql = (
        f"SELECT rating_id, unit_name FROM {PAIRS} WHERE {PAIRS}.pair = %s "  # noqa: S608 # nosec B608
        f"AND {_displayed(PAIRS)} ORDER BY {PAIRS}.unit_name, {PAIRS}.rating_id LIMIT %s"
    )
    return sql, (chosen.pair, chosen.today, limit)


def holders_by_id(chosen: Where, limit: int) -> tuple[str, tuple]:
    """SQL for the first ``limit`` holders of a two-character fragment's pair in publication
    order (ids), from the pairs' index in that order."""
    sql = (
        f"SELECT rating_id FROM {PAIRS} WHERE {PAIRS}.pair = %s "  # noqa: S608 # nosec B608
        f"AND {_displayed(PAIRS)} ORDER BY {PAIRS}.rating_id LIMIT %s"
    )
    return sql, (chosen.pair, chosen.today, limit)


def walk_of_holders(chosen: Where, walked: int) -> tuple[str, tuple]:
    """SQL for a longer fragment, one row: among the first ``walked`` holders of its pair in
    name order, the ids of those whose name holds the fragment, in name order; and how many
    holders were read. Fewer than ``walked`` means the pair has no more: the ids are then
    every match."""
    sql, params = holders(chosen, walked)
    return (
        "SELECT coalesce(array_agg(rating_id ORDER BY unit_name, rating_id) "  # noqa: S608 # nosec B608
        f"FILTER (WHERE strpos(lower(unit_name), %s) > 0), '{{}}'), count(*) FROM ({sql}) AS walked"
    ), (chosen.fragments[0], *params)


def _holds(fragment: str, *, current: bool) -> tuple[str, list]:
    """Entries whose unit name holds ``fragment`` (portal/name_search.py): its character pairs
    by the bigram index, and for three characters or more the fragment itself. Current results
    have a bigram index of their own; older ones are found through the units' bigram index."""
    if current:
        table, name, pairs = ENTRIES, "unit_name", "unit_name_bigrams"
    else:
        table, name, pairs = "u", "name", "name_bigrams"
    tests, params = [], []
    if len(fragment) >= 2:
        tests.append(f"{table}.{pairs} @> %s::varchar(2)[]")
        params.append(bigrams(fragment))
    if len(fragment) != 2:  # a name holds a two-character fragment exactly when it holds the pair
        tests.append(f"strpos(lower({table}.{name}), %s) > 0")
        params.append(fragment)
    sql = " AND ".join(tests)
    if current:
        return sql, params
    return f"{ENTRIES}.unit_id IN (SELECT u.id FROM {UNITS} u WHERE {sql})", params  # noqa: S608 # nosec B608
