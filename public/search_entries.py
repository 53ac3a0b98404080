"""Bulk loads and the search entries' triggers (public/models.py, migration 0001).

A load of millions of rows (seed_bulk) would fire the triggers once per statement with every
row, which is right but keeps the entries' indexes updated row by row; instead it writes with
the triggers off and rebuilds every entry at the end in one INSERT … SELECT.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

TRIGGERS = {
    "ratings_rating": (
        "public_search_entries_rating_insert",
        "public_search_entries_rating_update",
        "public_search_entries_rating_delete",
    ),
    "units_unit": ("public_search_entries_unit_update",),
    "ratings_listing": (
        "public_search_entries_listing_insert",
        "public_search_entries_listing_update",
        "public_search_entries_listing_delete",
    ),
}


@contextmanager
def triggers_disabled() -> Iterator[None]:
    """Inside a transaction: the entry triggers off for the block, then back on."""
    _set_triggers("DISABLE")
    yield
    _set_triggers("ENABLE")


def rebuild() -> int:
    """Every entry and its pairs again from the source tables; the number of entries. The
    pairs' primary key is built after they are written: one sort, not an index insert per row.
    """
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM public_searchentry")
        cursor.execute(
            "INSERT INTO public_searchentry (rating_id, unit_id, unit_name, unit_name_bigrams, "
            "credit_code, area_id, industry_id, star, cycle_year, is_current, display_ends_on) "
            "SELECT * FROM public_search_entry_source"
        )
        entries = cursor.rowcount
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'public_searchpair'::regclass AND contype = 'p'"
        )
        name, definition = cursor.fetchone()
        cursor.execute(f"ALTER TABLE public_searchpair DROP CONSTRAINT {name}")
        cursor.execute("DELETE FROM public_searchpair")
        cursor.execute(
            "INSERT INTO public_searchpair (pair, unit_name, rating_id, display_ends_on) "
            "SELECT unnest(unit_name_bigrams), unit_name, rating_id, display_ends_on "
            "FROM public_searchentry WHERE is_current"
        )
        cursor.execute(f"ALTER TABLE public_searchpair ADD CONSTRAINT {name} {definition}")
        return entries


def _set_triggers(action: str) -> None:
    with connection.cursor() as cursor:
        for table, names in TRIGGERS.items():
            for name in names:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {name}")
