"""A published rating is immutable in the database too: only its revocation may be written,
once. Queryset ``update()`` and raw SQL bypass ``Rating.save``; this trigger does not."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ratings_rating_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a published rating is never deleted' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.revoked_at IS NOT NULL
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
CREATE TRIGGER ratings_rating_immutable
    BEFORE UPDATE OR DELETE ON ratings_rating
    FOR EACH ROW EXECUTE FUNCTION ratings_rating_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS ratings_rating_immutable ON ratings_rating;
DROP FUNCTION IF EXISTS ratings_rating_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("ratings", "0002_publicity_confirmation_publication")]

    operations = [migrations.RunSQL(CREATE, DROP)]
