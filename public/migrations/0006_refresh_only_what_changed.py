"""The search entries' triggers return at once when their statement changed no row.

Publication's supersede trigger (ratings migration 0005) runs two UPDATEs per inserted rating,
which usually change nothing; each still fired the statement-level refresh, four statements on
empty arrays, per rating: about a third of publishing 10,000 results (docs/benchmarks/linkage.md,
decision 0117).
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION public_search_entries_from_ratings() RETURNS trigger AS $$
DECLARE
    ids bigint[];
BEGIN
    ids := ARRAY(SELECT id FROM changed);
    IF cardinality(ids) > 0 THEN
        PERFORM public_search_entries_refresh(ids);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION public_search_entries_from_listings() RETURNS trigger AS $$
DECLARE
    ids bigint[];
BEGIN
    ids := ARRAY(SELECT rating_id FROM changed);
    IF cardinality(ids) > 0 THEN
        PERFORM public_search_entries_refresh(ids);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

UNDO = """
CREATE OR REPLACE FUNCTION public_search_entries_from_ratings() RETURNS trigger AS $$
BEGIN
    PERFORM public_search_entries_refresh(ARRAY(SELECT id FROM changed));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION public_search_entries_from_listings() RETURNS trigger AS $$
BEGIN
    PERFORM public_search_entries_refresh(ARRAY(SELECT rating_id FROM changed));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0005_area_and_star_in_name_order"),
    ]

    operations = [migrations.RunSQL(FUNCTIONS, UNDO)]
