"""The documented backup and restore (README, Operations) really bring back data and files."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def server_url(dbname: str) -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{dbname}"


@pytest.fixture
def scratch_databases():
    names = [f"backup_test_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    yield names
    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.slow
def test_backup_then_restore_into_an_empty_database(scratch_databases, tmp_path):
    source, target = scratch_databases
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "proof.pdf").write_bytes(b"%PDF-1.4 evidence")
    env = {**os.environ, "DATABASE_URL": server_url(source), "DJANGO_MEDIA_ROOT": str(media)}
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [python, "manage.py", "seed_demo"], env=env, check=True, cwd=ROOT, capture_output=True
    )
    backup = tmp_path / "backup"
    subprocess.run(
        [str(ROOT / "scripts/backup.sh"), str(backup)], env=env, check=True, capture_output=True
    )

    restored_media = tmp_path / "restored-media"
    env_target = {
        **env,
        "DATABASE_URL": server_url(target),
        "DJANGO_MEDIA_ROOT": str(restored_media),
    }
    subprocess.run(
        [str(ROOT / "scripts/restore.sh"), str(backup)],
        env=env_target,
        check=True,
        capture_output=True,
    )

    count = "SELECT count(*) FROM units_unit"
    with psycopg.connect(server_url(source)) as a, psycopg.connect(server_url(target)) as b:
        assert a.execute(count).fetchone()[0] == b.execute(count).fetchone()[0] == 200
    assert (restored_media / "evidence" / "proof.pdf").read_bytes() == b"%PDF-1.4 evidence"


def test_restore_refuses_a_tampered_backup(tmp_path):
    (tmp_path / "database.dump").write_bytes(b"x")
    (tmp_path / "media.tar.gz").write_bytes(b"y")
    (tmp_path / "SHA256SUMS").write_text(
        "0" * 64 + "  database.dump\n" + "0" * 64 + "  media.tar.gz\n"
    )
    env = {**os.environ, "DATABASE_URL": server_url("nonexistent_db")}
    result = subprocess.run(
        [str(ROOT / "scripts/restore.sh"), str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "FAILED" in result.stderr + result.stdout
