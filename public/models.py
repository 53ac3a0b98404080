"""The public search's read model: one row per published rating with everything a search
filters and orders by, in one table (docs/decisions/0112-public-search-entries.md).

The public search used to join ratings, units and listings: its filters (a name fragment, an
area, a star, "current", "still displayed") lay in three tables, so no index could serve both a
filter and the name order, and a fragment in half of all names cost a walk of thousands of rows.
Here every key sits in one row and each kind of search is one index scan.

The rows are written by PostgreSQL triggers (migration 0001), never by Python: every path that
inserts or changes a rating, a unit's name, area or industry, or a key-monitoring listing —
publication, revocation, re-rating, credit repair, seed_bulk, a raw UPDATE — keeps them right.
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models


class SearchEntry(models.Model):
    rating = models.OneToOneField(
        "ratings.Rating",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # written by triggers, removed by them with the rating
        related_name="+",
    )
    unit_id = models.BigIntegerField()
    unit_name = models.CharField(max_length=200)
    # The name's character pairs, as units.Unit.name_bigrams (portal/name_search.py).
    unit_name_bigrams = ArrayField(models.CharField(max_length=2))
    credit_code = models.CharField(max_length=18)
    area_id = models.BigIntegerField()
    industry_id = models.BigIntegerField()
    star = models.PositiveSmallIntegerField()
    cycle_year = models.PositiveSmallIntegerField()
    # Rating.superseded_on IS NULL: the unit's latest result.
    is_current = models.BooleanField()
    # For a no-star result with a listing: the day its public display ends; NULL otherwise.
    display_ends_on = models.DateField(null=True)

    class Meta:
        indexes = [
            # A name fragment among current results (the default search). Other cycles' name
            # searches go through the units' own bigram index and unit_id.
            GinIndex(
                fields=["unit_name_bigrams"],
                condition=models.Q(is_current=True),
                name="search_entry_current_bigrams",
            ),
            models.Index(fields=["unit_id"], name="search_entry_unit"),
            # The search's order, for current results and for all cycles.
            # Read without the table: a walk in name order tests each entry in the index.
            models.Index(
                fields=["unit_name", "rating"],
                include=["unit_name_bigrams", "display_ends_on"],
                condition=models.Q(is_current=True),
                name="search_entry_current_name",
            ),
            models.Index(fields=["unit_name", "-cycle_year", "rating"], name="search_entry_name"),
            # An area and a star among current results, in name order and read by index
            # alone: the first matches are the capped count and every page (results.py).
            models.Index(
                fields=["area_id", "star", "unit_name", "rating"],
                include=["display_ends_on"],
                condition=models.Q(is_current=True),
                name="search_entry_current_area",
            ),
            models.Index(fields=["credit_code"], name="search_entry_credit_code"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.cycle_year}"


class SearchPair(models.Model):
    """One row per character pair of a current result's name (decision 0115): the B-tree of
    the primary key lists a pair's holders in name order, so a two-character fragment's page
    and its capped count are read from one range however many names hold it and wherever
    they lie in the name order. Written by the same triggers as the entries (migration 0002).
    """

    pk = models.CompositePrimaryKey("pair", "unit_name", "rating_id")
    # One of SearchEntry.unit_name_bigrams.
    pair = models.CharField(max_length=2)
    unit_name = models.CharField(max_length=200)
    rating_id = models.BigIntegerField()
    display_ends_on = models.DateField(null=True)

    class Meta:
        indexes = [
            # A pair's holders in publication order, the open data's: a two-character
            # fragment's capped count and every page it reaches, read by index alone.
            models.Index(
                fields=["pair", "rating_id"],
                include=["display_ends_on"],
                name="public_pair_holders_by_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pair} {self.unit_name}"
