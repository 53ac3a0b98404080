"""Benchmark: certificates for 1,000 units (issue 5, Performance).

Reports, in one run on one machine:
- the median time to render and seal one certificate in-process, and its ratio to WeasyPrint
  rendering a one-line HTML page (same process, same fonts);
- the wall time for the whole batch through a real Celery worker (`celery -A portal worker`,
  the command of the Procfile), progress read from the database like the bureau's page;
- the worker's resident memory (main + children) sampled through the batch, to show it stays
  flat: children are recycled with --max-tasks-per-child.

It uses a throwaway database (DATABASE_URL + "_bench", created, migrated and dropped) and a
temporary media folder, so it never touches your data.

    .venv/bin/python scripts/bench_certificates.py [--units 1000] [--sample 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=30, help="in-process renders to time")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--max-tasks-per-child", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args()


def prepare_environment() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/integrity")
    url = base.rsplit("/", 1)[0] + "/" + base.rsplit("/", 1)[1].split("?")[0] + "_bench"
    media = tempfile.mkdtemp(prefix="bench-media-")
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DJANGO_DEBUG": "0",
            "DJANGO_MEDIA_ROOT": media,
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    return url, media


def recreate_database(url: str) -> None:
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
        )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
    )


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def build_publication(count: int):
    """``count`` published starred ratings with certificate rows, written directly."""
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from assessments.models import Application, Cycle, ScoringStandard, Status
    from portal.models import Role, User
    from ratings.models import Publication, Rating
    from ratings.services.certificates import issue_certificates
    from units.credit_code import make_credit_code
    from units.models import Area, Industry, Unit

    bureau = User.objects.create(username="bench-bureau", role=Role.BUREAU)
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        year=2099,
        name="2099年度",
        standard=ScoringStandard.objects.first(),
        is_open=False,
        pledge_deadline=today,
        application_deadline=today,
        comment_start=today,
        comment_end=today + datetime.timedelta(days=9),
    )
    areas, industries = list(Area.objects.all()), list(Industry.objects.all())
    units = Unit.objects.bulk_create(
        Unit(
            name=f"新郑市基准测试第{n}号安全科技有限公司",
            credit_code=make_credit_code(700000 + n),
            legal_representative="张伟",
            address=f"新郑市测试路{n}号",
            area=areas[n % len(areas)],
            industry=industries[n % len(industries)],
            contact_name="李娜",
            contact_phone="13800000000",
            status=Unit.Status.APPROVED,
        )
        for n in range(count)
    )
    stars = (5, 4, 4, 3)
    applications = Application.objects.bulk_create(
        Application(
            cycle=cycle,
            unit=unit,
            status=Status.PUBLISHED,
            comprehensive_score=Decimal("90.0"),
            star=stars[i % len(stars)],
        )
        for i, unit in enumerate(units)
    )
    publication = Publication.objects.create(
        cycle=cycle, publish_on=today, document_number=1, created_by=bureau
    )
    publication.published_at = timezone.now()
    publication.save()
    Rating.objects.bulk_create(
        Rating(
            application=a,
            publication=publication,
            unit_id=a.unit_id,
            cycle=cycle,
            star=a.star,
            comprehensive_score=a.comprehensive_score,
            published_on=today,
            published_by=bureau,
        )
        for a in applications
    )
    issue_certificates(publication)
    return publication, bureau


def time_in_process(sample: int) -> dict[str, float]:
    """Medians of the wall time and the process CPU time of a sealed certificate and of a
    one-line page, rendered alternately in this process. On a shared machine the CPU time is
    the steadier figure: another process's work does not count in it."""
    from portal.pdf import render_pdf
    from ratings.documents import certificate_pdf
    from ratings.models import Certificate

    certificates = list(
        Certificate.objects.select_related("rating__unit", "rating__cycle")[: sample + 2]
    )
    certificate_pdf(certificates[0])  # warm-up: fonts, key, templates
    render_pdf("pdf/base.html", {})
    times: dict[str, list[float]] = {key: [] for key in ("cert", "cert_cpu", "line", "line_cpu")}

    def measure(key: str, render) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        render()
        times[key].append(time.perf_counter() - wall)
        times[f"{key}_cpu"].append(time.process_time() - cpu)

    for certificate in certificates[1 : sample + 1]:
        measure("cert", lambda c=certificate: certificate_pdf(c))
        measure("line", lambda: render_pdf("pdf/base.html", {"content": "一行文字"}))
    return {key: statistics.median(values) for key, values in times.items()}


def worker_rss_mb(pid: int) -> tuple[float, float]:
    """(main process, sum of children) resident memory in MB."""
    import psutil

    try:
        main = psutil.Process(pid)
        children = main.children(recursive=True)
        return (
            main.memory_info().rss / 2**20,
            sum(child.memory_info().rss for child in children) / 2**20,
        )
    except psutil.NoSuchProcess:
        return 0.0, 0.0


def run_batch(publication, bureau, args) -> dict:
    import psutil

    from portal.celery import app
    from ratings.models import Certificate, CertificateJob
    from ratings.services import certificates

    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-l",
            "warning",
            "--concurrency",
            str(args.concurrency),
            "--max-tasks-per-child",
            str(args.max_tasks_per_child),
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(60):
            if app.control.ping(timeout=0.5):
                break
        start = time.perf_counter()
        job = certificates.start_job(publication=publication, actor=bureau)
        samples = []  # (elapsed, done, main MB, children MB, largest child MB)
        while True:
            job.refresh_from_db()
            main_mb, children_mb = worker_rss_mb(worker.pid)
            largest = max(
                (c.memory_info().rss / 2**20 for c in psutil.Process(worker.pid).children()),
                default=0.0,
            )
            samples.append((time.perf_counter() - start, job.done, main_mb, children_mb, largest))
            if job.finished_at is not None:
                break
            time.sleep(0.5)
        wall = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    job = CertificateJob.objects.get(pk=job.pk)
    return {
        "wall": wall,
        "job": job,
        "samples": samples,
        "rendered": Certificate.objects.exclude(pdf="").count(),
    }


def main() -> None:
    args = parse_args()
    url, media = prepare_environment()
    recreate_database(url)
    import django

    django.setup()
    try:
        started = time.perf_counter()
        publication, bureau = build_publication(args.units)
        print(
            f"setup: {args.units} units, ratings and certificate rows in {time.perf_counter() - started:.1f} s"
        )
        timed = time_in_process(args.sample)
        print(f"in-process, alternately, median of {args.sample} (wall / CPU):")
        print(
            f"  certificate (render + PAdES seal): {timed['cert'] * 1000:.0f} ms / "
            f"{timed['cert_cpu'] * 1000:.0f} ms"
        )
        print(
            f"  one-line WeasyPrint page:          {timed['line'] * 1000:.0f} ms / "
            f"{timed['line_cpu'] * 1000:.0f} ms"
        )
        print(
            f"  ratio:                             {timed['cert'] / timed['line']:.2f}x / "
            f"{timed['cert_cpu'] / timed['line_cpu']:.2f}x"
        )
        print(f"  load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        result = run_batch(publication, bureau, args)
        job, samples = result["job"], result["samples"]
        print(
            f"batch through Celery (concurrency {args.concurrency}, "
            f"max-tasks-per-child {args.max_tasks_per_child}): {job.done} done, "
            f"{job.failed} failed, {result['rendered']} PDFs on disk, wall {result['wall']:.1f} s "
            f"({result['wall'] / max(job.done, 1) * 1000:.0f} ms per certificate)"
        )
        tenth = max(len(samples) // 10, 1)
        first, last = samples[:tenth], samples[-tenth:]
        peak_child = max(s[4] for s in samples)
        print("worker memory (RSS, MB): main / all children / largest child")
        for label, part in (("first 10%", first), ("last 10%", last)):
            print(
                f"  {label}: {max(s[2] for s in part):.0f} / {max(s[3] for s in part):.0f} / "
                f"{max(s[4] for s in part):.0f}"
            )
        print(f"  peak largest child over the batch: {peak_child:.0f}")
        for elapsed, done, main_mb, children_mb, largest in samples[:: max(len(samples) // 12, 1)]:
            print(
                f"    t={elapsed:6.1f}s done={done:5d} main={main_mb:5.0f} children={children_mb:6.0f} largest={largest:5.0f}"
            )
    finally:
        if not args.keep:
            drop_database(url)
        subprocess.run(["rm", "-rf", media], check=False)


if __name__ == "__main__":
    main()
