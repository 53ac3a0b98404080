"""The audit log and the application transition history can only grow.

A trigger refuses UPDATE and DELETE on both tables, whatever code path tries (the application
offers no such path; this makes the guarantee hold for scripts and shells too).
"""

from django.db import migrations

TABLES = ["auditlog_logentry", "assessments_applicationtransition"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change();"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_initial"),
        ("auditlog", "0017_add_actor_email"),
        ("assessments", "0003_default_standard"),
    ]
    operations = [
        migrations.RunSQL(CREATE_FUNCTION, "DROP FUNCTION IF EXISTS portal_refuse_change();"),
        *[
            migrations.RunSQL(trigger_sql(table), f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            for table in TABLES
        ],
    ]
