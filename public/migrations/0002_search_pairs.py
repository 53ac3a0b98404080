"""The search entries' character pairs (public/models.py SearchPair, decision 0115).

``public_search_entries_refresh(ids)`` now also rewrites the pairs of the given ratings' current
entries: it removes the pairs of the entries as they were (by the primary key, so no index on
the rating is needed), rewrites the entries, and adds the pairs of those that are current. A
name's bigrams hold each pair once (portal/name_search.bigrams).
"""

from django.db import migrations, models

REFRESH = """
CREATE OR REPLACE FUNCTION public_search_entries_refresh(ids bigint[]) RETURNS void AS $$
    DELETE FROM public_searchpair AS pair
     USING (SELECT unnest(unit_name_bigrams) AS pair, unit_name, rating_id
              FROM public_searchentry WHERE rating_id = ANY(ids) AND is_current) AS was
     WHERE (pair.pair, pair.unit_name, pair.rating_id) = (was.pair, was.unit_name, was.rating_id);
    DELETE FROM public_searchentry WHERE rating_id = ANY(ids);
    INSERT INTO public_searchentry (rating_id, unit_id, unit_name, unit_name_bigrams, credit_code,
                                    area_id, industry_id, star, cycle_year, is_current,
                                    display_ends_on)
    SELECT * FROM public_search_entry_source WHERE rating_id = ANY(ids);
    INSERT INTO public_searchpair (pair, unit_name, rating_id, display_ends_on)
    SELECT unnest(unit_name_bigrams), unit_name, rating_id, display_ends_on
      FROM public_searchentry WHERE rating_id = ANY(ids) AND is_current;
$$ LANGUAGE sql;

-- Some five thousand pairs occur in Chinese names: with every one among the column's most
-- common values, PostgreSQL knows how many names hold each, and reads a common one's holders
-- in key order instead of fetching and sorting them all (search_query.holders).
ALTER TABLE public_searchpair ALTER COLUMN pair SET STATISTICS 10000;
INSERT INTO public_searchpair (pair, unit_name, rating_id, display_ends_on)
SELECT unnest(unit_name_bigrams), unit_name, rating_id, display_ends_on
  FROM public_searchentry WHERE is_current;
ANALYZE public_searchpair;
"""

UNDO = """
CREATE OR REPLACE FUNCTION public_search_entries_refresh(ids bigint[]) RETURNS void AS $$
    DELETE FROM public_searchentry WHERE rating_id = ANY(ids);
    INSERT INTO public_searchentry (rating_id, unit_id, unit_name, unit_name_bigrams, credit_code,
                                    area_id, industry_id, star, cycle_year, is_current,
                                    display_ends_on)
    SELECT * FROM public_search_entry_source WHERE rating_id = ANY(ids);
$$ LANGUAGE sql;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0001_search_entries"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchPair",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "pair",
                        "unit_name",
                        "rating_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("pair", models.CharField(max_length=2)),
                ("unit_name", models.CharField(max_length=200)),
                ("rating_id", models.BigIntegerField()),
                ("display_ends_on", models.DateField(null=True)),
            ],
        ),
        migrations.RunSQL(REFRESH, UNDO),
    ]
