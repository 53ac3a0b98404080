"""The audit log and its hash chain can only grow, except for entries past the retention floor.

A DELETE of an audit entry passes only when the session asked for a purge
(``SET LOCAL portal.audit_purge = 'on'``, done by ``manage.py purge_audit_log``) and the row is
older than 180 days, the 等保 level-3 minimum: no code path, script or shell can remove a
younger record; a seal may go only after its entry has gone. UPDATE is refused always. The application's own database role has neither
DELETE nor TRUNCATE on these tables (``manage.py grant_app_role``), so only the owner can purge.
"""

from django.db import migrations

RETAINED_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_audit_retained() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('portal.audit_purge', true) = 'on'
       AND (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# A seal goes only with its entry: once the entry is purged (and only then).
SEAL_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_audit_seal_retained() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('portal.audit_purge', true) = 'on'
       AND NOT EXISTS (SELECT 1 FROM auditlog_logentry WHERE id = OLD.entry_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

FORWARD = [
    RETAINED_FUNCTION,
    SEAL_FUNCTION,
    "DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry;",
    "CREATE TRIGGER auditlog_logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry "
    "FOR EACH ROW EXECUTE FUNCTION portal_audit_retained('timestamp');",
    "CREATE TRIGGER portal_auditseal_append_only BEFORE UPDATE OR DELETE ON portal_auditseal "
    "FOR EACH ROW EXECUTE FUNCTION portal_audit_seal_retained();",
    "CREATE TRIGGER portal_auditpurge_append_only BEFORE UPDATE OR DELETE ON portal_auditpurge "
    "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change();",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS portal_auditpurge_append_only ON portal_auditpurge;",
    "DROP TRIGGER IF EXISTS portal_auditseal_append_only ON portal_auditseal;",
    "DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry;",
    "CREATE TRIGGER auditlog_logentry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry "
    "FOR EACH ROW EXECUTE FUNCTION portal_refuse_change();",
    "DROP FUNCTION IF EXISTS portal_audit_retained();",
    "DROP FUNCTION IF EXISTS portal_audit_seal_retained();",
]


class Migration(migrations.Migration):
    dependencies = [("portal", "0005_administrators_and_audit_chain")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
