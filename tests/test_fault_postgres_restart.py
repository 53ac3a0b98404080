"""PostgreSQL restarted while a user saves: a clear error, nothing half-written, the retry works.

Runs its own PostgreSQL and gunicorn on free loopback ports.
"""

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest
import requests

from tests.throwaway import ThrowawayPostgres, free_port, postgres_bin, wait_for, wait_for_http

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        postgres_bin() is None, reason="PostgreSQL server binaries are not installed"
    ),
]

# The bureau clerk signs in with a second factor: an authenticator, and a recovery code that
# the test types on the verification page.
SETUP = """
from portal.demo.two_factor import enrolled_device
from portal.models import User
from portal.two_factor import new_recovery_codes
from tests.factories import UnitFactory
clerk = User.objects.create_user("bureau", password="Fault-pass-2026", role="bureau")
enrolled_device(clerk)
print(new_recovery_codes(clerk)[0])
print(UnitFactory(name="新郑市故障测试有限公司").pk)
"""


@pytest.fixture
def server():
    postgres = ThrowawayPostgres()
    postgres.init()
    env = {
        **os.environ,
        "DATABASE_URL": postgres.url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    recovery_code, unit_pk = (
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-2:]
    )
    port = free_port()
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/health/")
        yield postgres, base, int(unit_pk), env, recovery_code
    finally:
        web.terminate()
        web.wait(10)
        postgres.destroy()


def csrf(session, url):
    page = session.get(url, timeout=10).text
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_save_during_a_database_restart_fails_clearly_then_succeeds(server):
    postgres, base, unit_pk, env, recovery_code = server
    session = requests.Session()
    token = csrf(session, base + "/accounts/login/")
    session.post(
        base + "/accounts/login/",
        {"username": "bureau", "password": "Fault-pass-2026", "csrfmiddlewaretoken": token},
        timeout=10,
    )
    verify_url = base + "/accounts/two-factor/verify/"
    verified = session.post(
        verify_url,
        {"token": recovery_code, "csrfmiddlewaretoken": csrf(session, verify_url)},
        timeout=10,
        allow_redirects=False,
    )
    assert verified.status_code == 302, "the second factor must be accepted"
    edit_url = f"{base}/units/{unit_pk}/edit/"
    form = {"csrfmiddlewaretoken": csrf(session, edit_url)}
    page = session.get(edit_url, timeout=10).text
    for name in (
        "name",
        "credit_code",
        "legal_representative",
        "address",
        "contact_name",
        "contact_phone",
    ):
        form[name] = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
    for name in ("area", "industry", "supervising_department"):
        select = re.search(rf'name="{name}".*?</select>', page, re.S).group(0)
        form[name] = re.search(r'<option value="(\d+)" selected', select).group(1)
    form["name"] = "新郑市故障后更名有限公司"

    # The save is caught inside its transaction: another session holds the unit's row, so the
    # web's UPDATE waits on the lock while the database is restarted under it.
    holder = psycopg.connect(postgres.url, autocommit=False)
    holder.execute("SELECT 1 FROM units_unit WHERE id = %s FOR UPDATE", [unit_pk])
    outcome = {}
    saving = threading.Thread(
        target=lambda: outcome.update(
            failed=session.post(edit_url, form, timeout=60, allow_redirects=False)
        )
    )
    saving.start()
    wait_for(lambda: waiting_on_a_lock(holder), timeout=20)
    postgres.crash()
    saving.join(60)
    failed = outcome["failed"]
    assert failed.status_code == 503
    assert "本次提交没有保存" in failed.text
    health = requests.get(base + "/health/", timeout=10)
    assert health.status_code == 503 and health.json()["database"] == "down"

    postgres.start()
    assert requests.get(base + "/health/", timeout=10).status_code == 200
    retried = session.post(edit_url, form, timeout=30, allow_redirects=False)
    assert retried.status_code == 302
    check = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHECK.format(pk=unit_pk)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    name, renames = check.stdout.strip().splitlines()[-2:]
    assert name == "新郑市故障后更名有限公司"
    assert renames == "1", "the interrupted save must leave no audit entry, the retry one"


CHECK = """
from auditlog.models import LogEntry
from units.models import Unit
unit = Unit.objects.get(pk={pk})
print(unit.name)
print(LogEntry.objects.get_for_object(unit).filter(changes__icontains="故障后更名").count())
"""


def waiting_on_a_lock(connection) -> bool:
    row = connection.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    ).fetchone()
    return row[0] > 0
