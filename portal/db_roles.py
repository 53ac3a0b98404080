"""The application's database role: reads and writes data, cannot rewrite history.

Migrations run as the database owner; the web, worker and beat processes connect as a role that
owns nothing (``manage.py grant_app_role``). Owning nothing, it cannot ALTER a table, so it
cannot disable the append-only triggers; it is granted no TRUNCATE anywhere, and on the
history tables only SELECT and INSERT — so an attacker who takes over the application cannot
empty or edit the audit log, whatever the triggers say.
"""

from django.db import connection

# Tables that only grow (triggers in portal/migrations/0003 and 0006, ratings/0003).
HISTORY_TABLES = (
    "auditlog_logentry",
    "portal_auditseal",
    "portal_auditpurge",
    "assessments_applicationtransition",
)


def grant_statements(role: str) -> list[str]:
    quoted = connection.ops.quote_name(role)
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    history = ", ".join(HISTORY_TABLES)
    return [
        f"GRANT CONNECT ON DATABASE {database} TO {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"REVOKE CREATE ON SCHEMA public FROM {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {history} FROM {quoted}",
        # Tables a later migration creates: the owner runs it, so the grants follow by default.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
    ]


def ensure_role(role: str, password: str | None) -> None:
    """Create the login role if it does not exist, owning nothing and with no special powers."""
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        verb = "ALTER" if cursor.fetchone() else "CREATE"
        options = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
        if password:
            cursor.execute(f"{verb} ROLE {quoted} WITH {options} PASSWORD %s", [password])
        else:
            cursor.execute(f"{verb} ROLE {quoted} WITH {options}")


def grant(role: str) -> None:
    with connection.cursor() as cursor:
        for statement in grant_statements(role):
            cursor.execute(statement)
