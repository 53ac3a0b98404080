"""Benchmark: publish 10,000 results to 10 departments and time until every in-portal notice
is delivered, against a bare bulk insert of the same number of rows, in the same run.

Runs against a scratch database (<DATABASE_URL name>_bench, created and dropped here), a
throwaway redis-server on a free port and a real ``celery -A portal worker`` process:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/integrity_wt6 .venv/bin/python scripts/bench_linkage.py

Options: --units N (default 10000), --concurrency N (worker processes, default 2).
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout=60.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise SystemExit(f"timed out waiting for {condition}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    options = parser.parse_args()

    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/integrity"))
    bench_name = base.path.lstrip("/") + "_bench"
    bench_url = urlunparse(base._replace(path="/" + bench_name))
    admin = [
        "-h",
        base.hostname or "127.0.0.1",
        "-p",
        str(base.port or 5432),
        "-U",
        base.username or "postgres",
    ]
    subprocess.run(["dropdb", "--if-exists", *admin, bench_name], check=True)
    subprocess.run(
        [
            "createdb",
            *admin,
            "-T",
            "template0",
            "-E",
            "UTF8",
            "--lc-ctype=C.UTF-8",
            "--lc-collate=C.UTF-8",
            bench_name,
        ],
        check=True,
    )
    port = free_port()
    redis_dir = tempfile.mkdtemp(prefix="bench-redis-")
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            redis_dir,
        ],
        stdout=subprocess.DEVNULL,
    )
    os.environ.update(
        DATABASE_URL=bench_url,
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DJANGO_LOG_LEVEL="WARNING",
    )
    worker = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        worker_log = Path(tempfile.mkstemp(prefix="bench-worker-", suffix=".log")[1])
        worker = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("celery")),
                "-A",
                "portal",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(options.concurrency),
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            stdout=worker_log.open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        wait_for(lambda: " ready." in worker_log.read_text(), timeout=60)
        run(options.units)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=10)
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", "--if-exists", *admin, bench_name], check=False)


def run(unit_count: int) -> None:
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from linkage.models import Notice, PolicyVersion
    from ratings.models import Rating
    from ratings.services.publication import create_publication
    from tests.publication_support import bureau, confirmed, past_cycle
    from units.credit_code import make_credit_code
    from units.models import Area, Department, Industry, Unit

    area, industry = Area.objects.first(), Industry.objects.first()
    Unit.objects.bulk_create(
        Unit(
            name=f"基准测试单位{n}号有限公司",
            credit_code=make_credit_code(500_000 + n),
            legal_representative="张伟",
            address="新郑市",
            area=area,
            industry=industry,
            contact_name="李娜",
            contact_phone="13800000000",
            status=Unit.Status.APPROVED,
        )
        for n in range(unit_count)
    )
    units = list(Unit.objects.order_by("pk"))
    cycle = past_cycle(2025)
    departments = list(Department.objects.filter(is_linked=True))
    rows = unit_count * len(departments)
    stars = [5, 4, 3, 0]

    # Not timed: every application taken through the workflow to "confirmed by the government".
    started = time.perf_counter()
    applications = confirmed([(unit, stars[i % 4]) for i, unit in enumerate(units)], cycle)
    workflow = time.perf_counter() - started

    # Timed: the bureau's publication as the service makes it (dated today, so published at
    # once: set-based since decision 0111) and linkage's receiver, in one transaction.
    started = time.perf_counter()
    create_publication(
        cycle=cycle,
        applications=applications,
        publish_on=timezone.localdate(),
        document_number=1,
        actor=bureau(),
    )
    committed = time.perf_counter() - started
    # Every notice of this scratch database was written in the publishing transaction: wait
    # until none is undelivered, asking the index of undelivered notices. The counts over the
    # notices that this poll used to run lagged the last delivery by seconds at this size.
    undelivered = Notice.objects.filter(delivered_at__isnull=True)
    wait_for(lambda: not undelivered.exists(), timeout=600, interval=0.1)
    delivered = time.perf_counter() - started
    assert Notice.objects.filter(rating__cycle=cycle).count() == rows
    per_inbox = set(
        Notice.objects.filter(rating__cycle=cycle)
        .values("department")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert per_inbox == {unit_count}, per_inbox

    # The delivery leaves its audit entries to the chain's beat task (seal_audit_log, every
    # minute): time what that task then does with this publication's entries.
    from portal.audit_chain import seal_pending, verify

    started = time.perf_counter()
    sealed = seal_pending()
    sealing = time.perf_counter() - started
    assert verify().intact

    # Baseline: as many notice rows (one per rating and department) bulk-inserted bare: no
    # signal, no policy lookup, no delivery. A revocation event, so they sit beside the
    # published ones; rolled back.
    version = PolicyVersion.objects.current()
    seeds = list(Rating.objects.filter(cycle=cycle).only("pk", "unit_id"))
    with transaction.atomic():
        savepoint = transaction.savepoint()
        bare = [
            Notice(
                rating=seed,
                unit_id=seed.unit_id,
                department=department,
                event="revoked",
                result="revoked",
                measure=department.short_name * 10,
                policy_version=version,
            )
            for seed in seeds
            for department in departments
        ]
        started = time.perf_counter()
        Notice.objects.bulk_create(bare, batch_size=2000)
        baseline = time.perf_counter() - started
        transaction.savepoint_rollback(savepoint)

    print(f"workflow to confirmed (untimed): {workflow:.2f} s")
    print(f"units published:                 {unit_count}")
    print(f"linked departments:              {len(departments)}")
    print(f"notice rows:                     {rows}")
    print(f"bare bulk insert of {rows} rows: {baseline:.2f} s")
    print(f"publish + notices committed:     {committed:.2f} s")
    print(f"until every notice delivered:    {delivered:.2f} s")
    print(f"ratio delivered / bare insert:   {delivered / baseline:.1f}x")
    print(f"then sealed by the beat task:    {sealed} audit entries in {sealing:.2f} s")


if __name__ == "__main__":
    main()
