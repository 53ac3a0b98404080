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
    """Every entry again from the source tables; the number of entries."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM public_searchentry")
        cursor.execute(
            "INSERT INTO public_searchentry (rating_id, unit_id, unit_name, unit_name_bigrams, "
            "credit_code, area_id, industry_id, star, cycle_year, is_current, display_ends_on) "
            "SELECT * FROM public_search_entry_source"
        )
        return cursor.rowcount


def _set_triggers(action: str) -> None:
    with connection.cursor() as cursor:
        for table, names in TRIGGERS.items():
            for name in names:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {name}")
