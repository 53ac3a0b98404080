"""The platform deployed across hosts, on test hosts this test makes (tests/netlab.py):

    bridge 10.x.y.0/24 — the test itself at .1 (the operator's laptop and the public's browser)
    db       .2   PostgreSQL primary and Redis, throwaway, bound to this address only
    replica  .3   a PostgreSQL streaming replica made with pg_basebackup
    web1/2   .11 .12  gunicorn, production settings; anonymous public reads go to the replica
    worker1  .21  Celery worker and the only Celery beat
    worker2  .22  Celery worker

A 1,000-result publication is made from web1. Both worker hosts deliver; worker2 is killed
(every process on it, SIGKILL) in the middle of the batch; worker1 and the beat sweep finish it.
Every notice is delivered exactly once (one delivery entry in the audit log each). Both web
hosts serve the public pages. With the replica paused, an anonymous reader does not yet see a
new result while a reader with a session (who may have just written) does: the replica serves
only the first. None of the machine's shared servers is used.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import requests
from cryptography.fernet import Fernet

from tests import netlab
from tests.throwaway import postgres_bin, wait_for

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
UNITS = 1000
# Results published in the batch × linked departments in the default data.
LINKED_DEPARTMENTS = 10

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not netlab.available() and os.environ.get("CI") != "true",
        reason="needs root and iproute2 for network namespaces",
    ),
]


def as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args]


class Deployment:
    def __init__(self, tmp: Path):
        self.lab = netlab.Lab(
            {"db": 2, "replica": 3, "web1": 11, "web2": 12, "worker1": 21, "worker2": 22}
        )
        self.tmp = tmp
        self.pg = postgres_bin()
        # The cluster's owner (postgres) must reach its directory: not under pytest's tmp_path.
        self.pgroot = Path(tempfile.mkdtemp(prefix="scale-pg-"))
        self.pgroot.chmod(0o755)
        shutil.chown(self.pgroot, "postgres")
        db = self.lab.hosts["db"]
        self.primary_url = f"postgres://postgres@{db}:5432/integrity"
        self.replica_url = f"postgres://postgres@{self.lab.hosts['replica']}:5432/integrity"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": "multi-host-test-" + "k" * 40,
            "DJANGO_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "DJANGO_ALLOWED_HOSTS": ",".join(self.lab.hosts.values()),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_ROOT": str(tmp / "static"),
            "DJANGO_MEDIA_ROOT": str(tmp / "media"),
            "DATABASE_URL": self.primary_url,
            "REDIS_URL": f"redis://{db}:6379/0",
            "LINKAGE_INBOX_BATCH": "20",
            "LINKAGE_STALE_AFTER": "3",
            "LINKAGE_SWEEP_SECONDS": "2",
            "PUBLIC_CACHE_REPLICA_SECONDS": "1",
            "DJANGO_LOG_LEVEL": "INFO",
        }
        self.env.pop("DATABASE_REPLICA_URL", None)

    # --- database host -------------------------------------------------------------------

    def start_postgres(self, host: str, data: Path) -> None:
        address = self.lab.hosts[host]
        # Sockets outside the data directory, or pg_basebackup would copy the lock file.
        sockets = self.pgroot / f"sockets-{host}"
        sockets.mkdir(exist_ok=True)
        shutil.chown(sockets, "postgres")
        options = f"-p 5432 -k {sockets} -c listen_addresses={address} -c fsync=off"
        self.lab.run(
            host,
            as_postgres([str(self.pg / "pg_ctl"), "-D", str(data), "-l", f"{data}.log"])
            + ["-o", options, "-w", "start"],
            capture_output=True,
        )

    def start_database_host(self) -> None:
        primary = self.pgroot / "primary"
        subprocess.run(
            as_postgres([str(self.pg / "initdb"), "-D", str(primary), "-U", "postgres"])
            + ["--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            capture_output=True,
        )
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {self.lab.subnet} trust\n")
            hba.write(f"host replication all {self.lab.subnet} trust\n")
        self.start_postgres("db", primary)
        self.sql(
            "postgres",
            "CREATE DATABASE integrity TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
        )
        self.sql("integrity", "CREATE EXTENSION IF NOT EXISTS pg_trgm")
        self.lab.start(
            "db",
            ["redis-server", "--port", "6379", "--bind", self.lab.hosts["db"]]
            + ["--protected-mode", "no", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.tmp)],
            self.tmp / "redis.log",
        )

    def start_replica(self) -> None:
        replica = self.pgroot / "replica"
        self.lab.run(
            "replica",
            as_postgres([str(self.pg / "pg_basebackup"), "-h", self.lab.hosts["db"], "-p", "5432"])
            + ["-U", "postgres", "-D", str(replica), "-R", "-X", "stream", "--checkpoint", "fast"],
            capture_output=True,
        )
        self.start_postgres("replica", replica)

    def sql(self, database: str, statement: str, host: str = "db"):
        address = self.lab.hosts[host]
        with psycopg.connect(
            f"postgresql://postgres@{address}:5432/{database}", autocommit=True
        ) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else None

    def manage(self, host: str, *args: str, **env) -> str:
        done = self.lab.run(
            host,
            [str(BIN / "python"), str(ROOT / "manage.py"), *args],
            env={**self.env, **env},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return done.stdout

    # --- application hosts ---------------------------------------------------------------

    def start_web(self, host: str) -> None:
        address = self.lab.hosts[host]
        self.lab.start(
            host,
            [str(BIN / "gunicorn"), "portal.wsgi:application", "--bind", f"{address}:8000"]
            + ["--workers", "2", "--timeout", "60", "--chdir", str(ROOT)],
            self.tmp / f"{host}.log",
            env={**self.env, "DATABASE_REPLICA_URL": self.replica_url},
        )

    def start_worker(self, host: str) -> Path:
        log = self.tmp / f"{host}.log"
        self.lab.start(
            host,
            [str(BIN / "celery"), "-A", "portal", "worker", "--concurrency", "1"]
            + ["--hostname", f"{host}@%h", "--loglevel", "INFO", "--without-gossip"]
            + ["--without-mingle", "--without-heartbeat"],
            log,
            env=self.env,
        )
        wait_for(lambda: " ready." in log.read_text(), timeout=60)
        return log

    def start_beat(self, host: str) -> None:
        self.lab.start(
            host,
            [str(BIN / "celery"), "-A", "portal", "beat", "--loglevel", "INFO"]
            + ["--schedule", str(self.tmp / "beat-schedule")],
            self.tmp / "beat.log",
            env=self.env,
        )

    def url(self, host: str, path: str) -> str:
        return f"http://{self.lab.hosts[host]}:8000{path}"

    def destroy(self) -> None:
        self.lab.destroy()
        shutil.rmtree(self.pgroot, ignore_errors=True)


PUBLISH = """
from tests.publication_support import publish_results
from units.credit_code import make_credit_code
from units.models import Area, Industry, Unit
area, industry = Area.objects.first(), Industry.objects.first()
units = [
    Unit.objects.create(
        name=f"{prefix}{n}号有限公司", credit_code=make_credit_code(700_000 + offset + n),
        legal_representative="张伟", address="新郑市", area=area, industry=industry,
        contact_name="李娜", contact_phone="13800000000", status=Unit.Status.APPROVED,
    )
    for n in range(count)
]
publish_results([(unit, [5, 4, 3, 0][n % 4]) for n, unit in enumerate(units)], year=2025)
print("published", len(units), units[0].credit_code)
"""


def publish(deployment: Deployment, prefix: str, count: int, offset: int) -> str:
    code = f"prefix, count, offset = {prefix!r}, {count}, {offset}\n" + PUBLISH
    output = deployment.manage("web1", "shell", "-c", code)
    match = re.search(r"published (\d+) (\w{18})", output)
    assert match and int(match.group(1)) == count, output
    return match.group(2)


def succeeded(log: Path) -> int:
    return len(
        re.findall(r"Task linkage\.tasks\.deliver_inbox\[[^\]]+\] succeeded", log.read_text())
    )


def body(response: requests.Response) -> str:
    assert response.status_code == 200, (response.status_code, response.text[:500])
    return response.text


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not netlab.available():
        pytest.fail("CI runs this test: it needs root and iproute2 (ip netns)")
    tmp = tmp_path_factory.mktemp("multi-host")
    tmp.chmod(0o755)
    deployment = Deployment(tmp)
    try:
        deployment.start_database_host()
        deployment.manage("web1", "migrate", "--noinput")
        deployment.manage(
            "web1", "collectstatic", "--noinput", "-v", "0", "--ignore", "NotoSerifSC-*.ttf"
        )
        deployment.start_replica()
        for host in ("web1", "web2"):
            deployment.start_web(host)
        for host in ("web1", "web2"):
            netlab_wait_http(deployment.url(host, "/health/"))
        yield deployment
    finally:
        deployment.destroy()


def netlab_wait_http(url: str) -> None:
    def answers():
        try:
            return requests.get(url, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_for(answers, timeout=60, interval=0.3)


def test_a_publication_is_delivered_once_by_both_worker_hosts_and_survives_losing_one(deployment):
    first_log = deployment.start_worker("worker1")
    second_log = deployment.start_worker("worker2")
    deployment.start_beat("worker1")

    code = publish(deployment, "跨主机联动单位", UNITS, 0)
    total = UNITS * LINKED_DEPARTMENTS
    undelivered = "SELECT count(*) FROM linkage_notice WHERE delivered_at IS NULL"

    wait_for(lambda: succeeded(second_log) >= 5, timeout=120, interval=0.05)
    deployment.lab.kill_host("worker2")
    left = deployment.sql("integrity", undelivered)[0][0]
    assert left > 0, "the worker host must die in the middle of the batch"

    wait_for(lambda: deployment.sql("integrity", undelivered)[0][0] == 0, timeout=300, interval=1)
    assert deployment.sql("integrity", "SELECT count(*) FROM linkage_notice")[0][0] == total
    assert succeeded(first_log) > 0 and succeeded(second_log) > 0, "both worker hosts delivered"
    assert "linkage.tasks.sweep_deliveries" in (deployment.tmp / "beat.log").read_text()

    # Exactly once: each notice has one delivery entry in the audit log, none has two.
    entries, distinct = deployment.sql(
        "integrity",
        "SELECT count(*), count(DISTINCT object_pk) FROM auditlog_logentry "
        "WHERE content_type_id = (SELECT id FROM django_content_type "
        "WHERE app_label = 'linkage' AND model = 'notice') "
        "AND changes::text LIKE '%delivered_at%'",
    )[0]
    assert (entries, distinct) == (total, total)

    # Both web hosts serve the public pages of the published units.
    for host in ("web1", "web2"):
        page = body(requests.get(deployment.url(host, f"/search/?q={code}"), timeout=10))
        assert "跨主机联动单位0号有限公司" in page
        unit_page = body(requests.get(deployment.url(host, f"/search/units/{code}/"), timeout=10))
        assert "跨主机联动单位0号有限公司" in unit_page


def test_anonymous_public_reads_come_from_the_replica_and_a_session_reads_the_primary(deployment):
    lsn = "SELECT pg_current_wal_lsn()::text"
    replayed = "SELECT pg_last_wal_replay_lsn()::text"
    deployment.sql("integrity", "SELECT pg_wal_replay_pause()", host="replica")
    try:
        code = publish(deployment, "复制延迟测试单位", 1, 50_000)
        search = deployment.url("web2", f"/search/?q={code}")
        # The replica has not replayed the publication: the anonymous public does not see it yet.
        assert "复制延迟测试单位0号有限公司" not in body(requests.get(search, timeout=10))
        # A visitor with a session may have just written: they read the primary.
        with_session = requests.get(search, cookies={"sessionid": "x" * 32}, timeout=10)
        assert "复制延迟测试单位0号有限公司" in body(with_session)
    finally:
        deployment.sql("integrity", "SELECT pg_wal_replay_resume()", host="replica")

    target = deployment.sql("integrity", lsn)[0][0]

    def caught_up():
        position = deployment.sql("integrity", replayed, host="replica")[0][0]
        return deployment.sql(
            "integrity", f"SELECT pg_wal_lsn_diff('{position}', '{target}') >= 0"
        )[0][0]

    wait_for(caught_up, timeout=30)
    # The stale page was cached only briefly (PUBLIC_CACHE_REPLICA_SECONDS): it heals itself.
    wait_for(
        lambda: "复制延迟测试单位0号有限公司" in body(requests.get(search, timeout=10)),
        timeout=15,
        interval=0.5,
    )
