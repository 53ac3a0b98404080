"""Each unit's current result (docs/decisions/0055): ``superseded_on`` is set by the database
when a later cycle's result for the same unit is inserted, so every insert path (publication,
bulk loads, COPY) keeps it right. The immutability trigger now lets that one column go from
NULL to a date once, revoked or not; everything else stays as migration 0003 made it."""

from importlib import import_module

from django.conf import settings
from django.db import migrations, models


SUPERSEDE = """
CREATE OR REPLACE FUNCTION ratings_rating_supersede() RETURNS trigger AS $$
DECLARE
    new_year integer;
BEGIN
    SELECT year INTO new_year FROM assessments_cycle WHERE id = NEW.cycle_id;
    UPDATE ratings_rating AS older SET superseded_on = NEW.published_on
      FROM assessments_cycle AS cycle
     WHERE older.unit_id = NEW.unit_id AND older.superseded_on IS NULL
       AND cycle.id = older.cycle_id AND cycle.year < new_year;
    -- An earlier cycle's result published after a later one is never the current one.
    IF EXISTS (SELECT 1 FROM ratings_rating AS later
                 JOIN assessments_cycle AS cycle ON cycle.id = later.cycle_id
                WHERE later.unit_id = NEW.unit_id AND cycle.year > new_year) THEN
        NEW.superseded_on := NEW.published_on;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ratings_rating_supersede
    BEFORE INSERT ON ratings_rating
    FOR EACH ROW EXECUTE FUNCTION ratings_rating_supersede();

CREATE OR REPLACE FUNCTION ratings_rating_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a published rating is never deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (OLD.revoked_at IS NOT NULL AND (
           NEW.revoked_at IS DISTINCT FROM OLD.revoked_at
           OR NEW.revoked_by_id IS DISTINCT FROM OLD.revoked_by_id
           OR NEW.revocation_reason IS DISTINCT FROM OLD.revocation_reason))
       OR (OLD.superseded_on IS NOT NULL AND NEW.superseded_on IS DISTINCT FROM OLD.superseded_on)
       OR NEW.application_id IS DISTINCT FROM OLD.application_id
       OR NEW.publication_id IS DISTINCT FROM OLD.publication_id
       OR NEW.unit_id IS DISTINCT FROM OLD.unit_id
       OR NEW.cycle_id IS DISTINCT FROM OLD.cycle_id
       OR NEW.star IS DISTINCT FROM OLD.star
       OR NEW.comprehensive_score IS DISTINCT FROM OLD.comprehensive_score
       OR NEW.has_veto IS DISTINCT FROM OLD.has_veto
       OR NEW.published_on IS DISTINCT FROM OLD.published_on
       OR NEW.published_by_id IS DISTINCT FROM OLD.published_by_id
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'a published rating is immutable; revoke it instead'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

UPDATE ratings_rating AS older SET superseded_on = (
    SELECT min(later.published_on) FROM ratings_rating AS later
      JOIN assessments_cycle AS later_cycle ON later_cycle.id = later.cycle_id
     WHERE later.unit_id = older.unit_id AND later_cycle.year > older_cycle.year)
  FROM assessments_cycle AS older_cycle
 WHERE older_cycle.id = older.cycle_id
   AND EXISTS (SELECT 1 FROM ratings_rating AS later
                 JOIN assessments_cycle AS later_cycle ON later_cycle.id = later.cycle_id
                WHERE later.unit_id = older.unit_id AND later_cycle.year > older_cycle.year);
"""

# Going back restores migration 0003's function, which does not name the column.
IMMUTABLE_0003 = import_module("ratings.migrations.0003_rating_immutable_trigger").CREATE
UNSUPERSEDE = (
    """
DROP TRIGGER IF EXISTS ratings_rating_supersede ON ratings_rating;
DROP FUNCTION IF EXISTS ratings_rating_supersede();
"""
    + IMMUTABLE_0003.split("CREATE TRIGGER")[0]
)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_default_standard'),
        ('ratings', '0004_certificatejob_queued_at'),
        ('units', '0002_reference_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='rating',
            name='superseded_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='被新结果取代日期'),
        ),
        migrations.AddIndex(
            model_name='rating',
            index=models.Index(condition=models.Q(('superseded_on__isnull', True)), fields=['unit'], name='rating_current_unit'),
        ),
        migrations.AddIndex(
            model_name='rating',
            index=models.Index(condition=models.Q(('superseded_on__isnull', True)), fields=['star'], name='rating_current_star'),
        ),
        migrations.RunSQL(SUPERSEDE, UNSUPERSEDE),
    ]
