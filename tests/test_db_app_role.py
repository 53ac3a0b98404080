"""The application connects as a database role that cannot rewrite history: a real login role
is made in the test database by ``grant_app_role`` and tries."""

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app_role(world):
    role = f"test_app_{uuid.uuid4().hex[:10]}"
    call_command("grant_app_role", role)
    settings = connection.settings_dict
    conn = psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        autocommit=True,
    )
    try:
        yield conn
    finally:
        conn.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def _refused(conn, sql: str) -> str:
    with pytest.raises(psycopg.Error) as caught:
        conn.execute(sql)
    return str(caught.value)


def test_the_application_role_reads_and_writes_data_and_appends_to_the_log(app_role):
    assert app_role.execute("SELECT count(*) FROM units_unit").fetchone()[0] >= 2
    app_role.execute("UPDATE units_unit SET address = address")
    app_role.execute(
        "INSERT INTO auditlog_logentry (content_type_id, object_pk, object_repr, action, "
        "changes_text, timestamp) SELECT id, '1', 'x', 3, '', now() FROM django_content_type LIMIT 1"
    )


def test_the_application_role_cannot_truncate_or_edit_the_audit_log(app_role):
    tables = {
        "auditlog_logentry": "id",
        "portal_auditseal": "seq",
        "assessments_applicationtransition": "id",
    }
    for table, column in tables.items():
        assert "permission denied" in _refused(app_role, f"TRUNCATE {table}")
        assert "permission denied" in _refused(app_role, f"DELETE FROM {table}")
        assert "permission denied" in _refused(app_role, f"UPDATE {table} SET {column} = {column}")


def test_the_application_role_cannot_disable_the_triggers(app_role):
    message = _refused(app_role, "ALTER TABLE auditlog_logentry DISABLE TRIGGER ALL")
    assert "must be owner" in message
    message = _refused(app_role, "DROP TRIGGER auditlog_logentry_append_only ON auditlog_logentry")
    assert "must be owner" in message
