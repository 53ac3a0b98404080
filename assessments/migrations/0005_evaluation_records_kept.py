"""Evaluation records outlive any code path: once an application has left evaluation, its
assignments, expert scores and veto findings can no longer be deleted (raw SQL and cascades
included). During evaluation an unsigned assignment may still be withdrawn for a conflict."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION assessments_evaluation_kept(assignment_id bigint) RETURNS void AS $$
DECLARE
    state text;
    signed timestamptz;
BEGIN
    SELECT a.status, s.signed_off_at INTO state, signed
      FROM assessments_assignment s JOIN assessments_application a ON a.id = s.application_id
     WHERE s.id = assignment_id;
    IF state IS NOT NULL AND (state NOT IN ('accepted', 'under_evaluation') OR signed IS NOT NULL) THEN
        RAISE EXCEPTION 'evaluation records of a signed assignment or of an application past evaluation are never deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION assessments_assignment_kept() RETURNS trigger AS $$
BEGIN
    PERFORM assessments_evaluation_kept(OLD.id);
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION assessments_assignment_child_kept() RETURNS trigger AS $$
BEGIN
    PERFORM assessments_evaluation_kept(OLD.assignment_id);
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER assessments_assignment_kept BEFORE DELETE ON assessments_assignment
    FOR EACH ROW EXECUTE FUNCTION assessments_assignment_kept();
CREATE TRIGGER assessments_expertscore_kept BEFORE DELETE ON assessments_expertscore
    FOR EACH ROW EXECUTE FUNCTION assessments_assignment_child_kept();
CREATE TRIGGER assessments_vetofinding_kept BEFORE DELETE ON assessments_vetofinding
    FOR EACH ROW EXECUTE FUNCTION assessments_assignment_child_kept();
"""

DROP = """
DROP TRIGGER IF EXISTS assessments_assignment_kept ON assessments_assignment;
DROP TRIGGER IF EXISTS assessments_expertscore_kept ON assessments_expertscore;
DROP TRIGGER IF EXISTS assessments_vetofinding_kept ON assessments_vetofinding;
DROP FUNCTION IF EXISTS assessments_assignment_kept();
DROP FUNCTION IF EXISTS assessments_assignment_child_kept();
DROP FUNCTION IF EXISTS assessments_evaluation_kept(bigint);
"""


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_deadline_reminders")]

    operations = [migrations.RunSQL(CREATE, DROP)]
