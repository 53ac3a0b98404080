"""The public search's entries (public/models.py) and the triggers that write them.

``public_search_entries_refresh(ids)`` rewrites the entries of the given ratings from the
ratings, units, cycles and listings tables. Statement-level triggers call it once per
statement with every row the statement touched (transition tables), so a publication of ten
thousand results refreshes ten thousand entries in one set-based INSERT, not one per row.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.db.models.deletion
from django.db import migrations, models

REFRESH = """
CREATE VIEW public_search_entry_source AS
    SELECT rating.id AS rating_id, unit.id AS unit_id, unit.name AS unit_name,
           unit.name_bigrams AS unit_name_bigrams, unit.credit_code, unit.area_id,
           unit.industry_id, rating.star, cycle.year AS cycle_year,
           rating.superseded_on IS NULL AS is_current,
           CASE WHEN rating.star = 0 THEN listing.display_ends_on END AS display_ends_on
      FROM ratings_rating AS rating
      JOIN units_unit AS unit ON unit.id = rating.unit_id
      JOIN assessments_cycle AS cycle ON cycle.id = rating.cycle_id
      LEFT JOIN ratings_listing AS listing ON listing.rating_id = rating.id;

CREATE FUNCTION public_search_entries_refresh(ids bigint[]) RETURNS void AS $$
    DELETE FROM public_searchentry WHERE rating_id = ANY(ids);
    INSERT INTO public_searchentry (rating_id, unit_id, unit_name, unit_name_bigrams,
                                    credit_code, area_id, industry_id, star, cycle_year,
                                    is_current, display_ends_on)
    SELECT * FROM public_search_entry_source WHERE rating_id = ANY(ids);
$$ LANGUAGE sql;

CREATE FUNCTION public_search_entries_from_ratings() RETURNS trigger AS $$
BEGIN
    PERFORM public_search_entries_refresh(ARRAY(SELECT id FROM changed));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER public_search_entries_rating_insert AFTER INSERT ON ratings_rating
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_search_entries_from_ratings();
CREATE TRIGGER public_search_entries_rating_update AFTER UPDATE ON ratings_rating
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_search_entries_from_ratings();
CREATE TRIGGER public_search_entries_rating_delete AFTER DELETE ON ratings_rating
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_search_entries_from_ratings();

-- A unit renamed, moved to another area or industry: only when a searched column changed.
CREATE FUNCTION public_search_entries_from_units() RETURNS trigger AS $$
BEGIN
    PERFORM public_search_entries_refresh(ARRAY(
        SELECT rating.id
          FROM changed JOIN before ON before.id = changed.id
          JOIN ratings_rating AS rating ON rating.unit_id = changed.id
         WHERE (changed.name, changed.name_bigrams, changed.credit_code, changed.area_id,
                changed.industry_id)
               IS DISTINCT FROM (before.name, before.name_bigrams, before.credit_code,
                                 before.area_id, before.industry_id)));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER public_search_entries_unit_update AFTER UPDATE ON units_unit
    REFERENCING OLD TABLE AS before NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_search_entries_from_units();

-- A key-monitoring listing decides how long a no-star result is displayed.
CREATE FUNCTION public_search_entries_from_listings() RETURNS trigger AS $$
BEGIN
    PERFORM public_search_entries_refresh(ARRAY(SELECT rating_id FROM changed));
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER public_search_entries_listing_insert AFTER INSERT ON ratings_listing
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_search_entries_from_listings();
CREATE TRIGGER public_search_entries_listing_update AFTER UPDATE ON ratings_listing
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_search_entries_from_listings();
CREATE TRIGGER public_search_entries_listing_delete AFTER DELETE ON ratings_listing
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION public_search_entries_from_listings();

INSERT INTO public_searchentry (rating_id, unit_id, unit_name, unit_name_bigrams, credit_code,
                                area_id, industry_id, star, cycle_year, is_current,
                                display_ends_on)
SELECT * FROM public_search_entry_source;
ANALYZE public_searchentry;
"""

UNDO = """
DROP TRIGGER public_search_entries_rating_insert ON ratings_rating;
DROP TRIGGER public_search_entries_rating_update ON ratings_rating;
DROP TRIGGER public_search_entries_rating_delete ON ratings_rating;
DROP TRIGGER public_search_entries_unit_update ON units_unit;
DROP TRIGGER public_search_entries_listing_insert ON ratings_listing;
DROP TRIGGER public_search_entries_listing_update ON ratings_listing;
DROP TRIGGER public_search_entries_listing_delete ON ratings_listing;
DROP FUNCTION public_search_entries_from_ratings();
DROP FUNCTION public_search_entries_from_units();
DROP FUNCTION public_search_entries_from_listings();
DROP FUNCTION public_search_entries_refresh(bigint[]);
DROP VIEW public_search_entry_source;
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('ratings', '0010_adverse_notices_and_objections'),
        ('units', '0003_unit_name_index'),
        ('assessments', '0007_service_ratings'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('rating', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', serialize=False, to='ratings.rating')),
                ('unit_id', models.BigIntegerField()),
                ('unit_name', models.CharField(max_length=200)),
                ('unit_name_bigrams', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=2), size=None)),
                ('credit_code', models.CharField(max_length=18)),
                ('area_id', models.BigIntegerField()),
                ('industry_id', models.BigIntegerField()),
                ('star', models.PositiveSmallIntegerField()),
                ('cycle_year', models.PositiveSmallIntegerField()),
                ('is_current', models.BooleanField()),
                ('display_ends_on', models.DateField(null=True)),
            ],
            options={
                'indexes': [django.contrib.postgres.indexes.GinIndex(condition=models.Q(('is_current', True)), fields=['unit_name_bigrams'], name='search_entry_current_bigrams'), models.Index(fields=['unit_id'], name='search_entry_unit'), models.Index(condition=models.Q(('is_current', True)), fields=['unit_name', 'rating'], include=('unit_name_bigrams', 'display_ends_on'), name='search_entry_current_name'), models.Index(fields=['unit_name', '-cycle_year', 'rating'], name='search_entry_name'), models.Index(condition=models.Q(('is_current', True)), fields=['area_id', 'star', 'unit_name'], name='search_entry_current_area'), models.Index(fields=['credit_code'], name='search_entry_credit_code')],
            },

        ),
        migrations.RunSQL(REFRESH, UNDO),
    ]
