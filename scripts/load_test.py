"""Load test: public readers and enterprises saving drafts while a 1,000-unit batch is published.

Bounded and on loopback only. Creates a scratch database (<DATABASE_URL name>_load, dropped at
the end), migrates, seeds reference data, 1,000 units with CONFIRMED applications in the open
cycle, taken there through the workflow (plus last year's results, published and certified
through the real services, so unit and verify pages have content from the start) and 50 enterprise users with draft applications of their own. Starts
gunicorn on a free loopback port and ``celery -A portal worker`` (production settings, the
given REDIS_URL), then for --duration seconds runs concurrently:

- --readers public readers: home, public search with a 2-character fragment, unit page,
  /api/v1/ratings/, certificate verify page (random pick, 0.2-1.0 s think time);
- --enterprises enterprises: sign in, read the self-assessment form, POST it back with CSRF and
  a new report text and first-item score, repeat; sign in again every 5 saves;
- the bureau (this process) publishes the batch through ``ratings.services.publication`` after
  --publish-after seconds; the worker delivers the departments' notices.

Then reports per page request count, 5xx/transport errors, p50/p95, lost saves (last
acknowledged value of each enterprise vs the database) and the time until every notice of the
batch is delivered, and writes docs/benchmarks/load.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/integrity_wt8l \\
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python scripts/load_test.py

The load generator is threads + requests (already a dependency) rather than locust: locust
would add gevent and a dozen packages to the pins for one script, and a thread per user is
enough to hold 250 concurrent sessions open on loopback (docs/benchmarks/load.md).
"""

import argparse
import datetime
import http.cookiejar
import os
import random
import re
import secrets
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLACES = ["新郑", "龙湖", "薛店", "孟庄", "郭店", "八千", "梨河", "和庄", "辛店", "城关"]
TRADES = ["建材", "化工", "机械", "食品", "物流", "纺织", "电力", "医药"]
PASSWORD = "Load-test-pass-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout=60.0, interval=0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# --- seeding (runs in this process against the scratch database) -----------------------------


def seed(unit_count: int, enterprise_count: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from assessments.models import Application, Cycle, ScoringStandard, Status
    from linkage.models import Notice
    from linkage.services import delivery
    from portal.models import Role, User
    from tests.publication_support import confirmed, publish_results
    from units.credit_code import make_credit_code
    from units.models import Area, Industry, Unit

    areas, industries = list(Area.objects.all()), list(Industry.objects.all())

    def unit(n: int, label: str) -> Unit:
        return Unit(
            name=f"{PLACES[n % len(PLACES)]}{TRADES[n % len(TRADES)]}{label}{n}号有限公司",
            credit_code=make_credit_code(700_000 + n),
            legal_representative="张伟",
            address="新郑市",
            area=areas[n % len(areas)],
            industry=industries[n % len(industries)],
            contact_name="李娜",
            contact_phone="13800000000",
            status=Unit.Status.APPROVED,
        )

    Unit.objects.bulk_create([unit(n, "") for n in range(unit_count)], batch_size=2000)
    Unit.objects.bulk_create(
        [unit(unit_count + n, "自评") for n in range(enterprise_count)], batch_size=2000
    )
    units = list(Unit.objects.order_by("pk"))
    rated, drafting = units[:unit_count], units[unit_count : unit_count + enterprise_count]
    bureau = User.objects.create(username="load-bureau", role=Role.BUREAU)

    # Last year's results and certificates: the verify and unit pages have content from t=0.
    # Their notices are delivered now, so the worker's measured work is this year's batch.
    stars = [5, 4, 3, 0]
    last_year = publish_results(
        [(u, stars[i % 4]) for i, u in enumerate(rated)], year=timezone.localdate().year - 1
    )
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))

    today = timezone.localdate()
    cycle = Cycle.objects.create(
        year=today.year,
        name=f"{today.year}年度",
        standard=ScoringStandard.objects.order_by("created_at").first(),
        is_open=True,
        phase=Cycle.Phase.PUBLICATION,
        pledge_deadline=today - datetime.timedelta(days=200),
        application_deadline=today - datetime.timedelta(days=100),
        comment_start=today - datetime.timedelta(days=30),
        comment_end=today - datetime.timedelta(days=15),
    )
    confirmed([(u, stars[(i + 1) % 4]) for i, u in enumerate(rated)], cycle)
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        [
            User(username=f"ent{n:03d}", password=password, role=Role.ENTERPRISE, unit=u)
            for n, u in enumerate(drafting)
        ]
    )
    drafts = Application.objects.bulk_create(
        [Application(cycle=cycle, unit=u, status=Status.DRAFT) for u in drafting]
    )
    return {
        "cycle": cycle,
        "bureau": bureau,
        "credit_codes": [u.credit_code for u in rated],
        "verify_codes": [r.certificate.verification_code for r in last_year if r.star],
        "enterprises": [(f"ent{n:03d}", a.pk) for n, a in enumerate(drafts)],
    }


# --- load generator ---------------------------------------------------------------------------


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; the test talks plain HTTP to 127.0.0.1, so send them."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok(self, cookie, request):
        cookie.secure = False
        return super().set_ok(cookie, request)


class FormReader(HTMLParser):
    """The fields of one form, as a browser would submit them (text, hidden, checked boxes)."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.textarea = form_id, False, None
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif self.inside and tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif self.inside and tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.fields.append((self.textarea, ""))

    def handle_data(self, data):
        if self.textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.inside = False


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.server_errors: dict[str, int] = defaultdict(int)
        self.client_errors: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def record(self, page: str, started: float, response=None, error: Exception | None = None):
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latency[page].append(elapsed)
            if error is not None or response.status_code >= 500:
                self.server_errors[page] += 1
                sample = f"{type(error).__name__ if error else response.status_code}"
                if sample not in self.samples:
                    self.samples.append(sample)
            elif response.status_code >= 400:
                self.client_errors[page] += 1


def timed(session, stats: Stats, page: str, method: str, url: str, **kwargs):
    started = time.perf_counter()
    try:
        response = session.request(method, url, timeout=60, allow_redirects=False, **kwargs)
    except Exception as error:  # transport errors count as failures, never crash the user
        stats.record(page, started, error=error)
        return None
    stats.record(page, started, response)
    return response


def reader(base: str, seeded: dict, stats: Stats, stop: threading.Event) -> None:
    import requests

    session = requests.Session()
    rng = random.Random()
    session.headers["X-Real-IP"] = f"10.2.{rng.randrange(250)}.{rng.randrange(1, 250)}"
    fragments = PLACES + TRADES
    while not stop.is_set():
        choice = rng.randrange(5)
        if choice == 0:
            timed(session, stats, "home /", "GET", f"{base}/")
        elif choice == 1:
            q = rng.choice(fragments)
            timed(session, stats, "search /search/?q=", "GET", f"{base}/search/", params={"q": q})
        elif choice == 2:
            code = rng.choice(seeded["credit_codes"])
            timed(
                session,
                stats,
                "unit /search/units/<code>/",
                "GET",
                f"{base}/search/units/{code}/",
            )
        elif choice == 3:
            timed(session, stats, "api /api/v1/ratings/", "GET", f"{base}/api/v1/ratings/")
        else:
            code = rng.choice(seeded["verify_codes"])
            timed(
                session,
                stats,
                "verify /certificates/verify/<code>/",
                "GET",
                f"{base}/certificates/verify/{code}/",
            )
        stop.wait(rng.uniform(0.2, 1.0))


def sign_in(base: str, username: str, stats: Stats):
    import requests

    session = requests.Session()
    session.cookies.set_policy(LoopbackCookies())
    # Each enterprise signs in from its own address, as it would through the reverse proxy.
    session.headers["X-Real-IP"] = f"10.1.0.{int(username[-3:]) + 1}"
    page = timed(session, stats, "login GET", "GET", f"{base}/accounts/login/")
    if page is None or page.status_code != 200:
        return None
    token = CSRF.search(page.text).group(1)
    done = timed(
        session,
        stats,
        "login POST",
        "POST",
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{base}/accounts/login/"},
    )
    return session if done is not None and done.status_code == 302 else None


def enterprise(
    base: str, username: str, pk: int, stats: Stats, stop: threading.Event, acked: dict
) -> None:
    rng = random.Random()
    url = f"{base}/assessments/applications/{pk}/self-assessment/"
    saves, session = 0, None
    while not stop.is_set():
        if session is None or saves % 5 == 0:
            session = sign_in(base, username, stats)
            if session is None:
                stop.wait(1)
                continue
        page = timed(session, stats, "self-assessment GET", "GET", url)
        if page is None or page.status_code != 200:
            stop.wait(1)
            continue
        form = FormReader("self-assessment-form")
        form.feed(page.text)
        first_score = next(name for name, _ in form.fields if name.endswith("-score"))
        saves += 1
        text = f"{username} 第{saves}次保存 {secrets.token_hex(4)}"
        score = str(rng.randint(0, 1))
        changed = {"report-self_report": text, first_score: score}
        data = [(k, changed.get(k, v)) for k, v in form.fields] + [("then", "save")]
        response = timed(
            session, stats, "self-assessment POST", "POST", url, data=data, headers={"Referer": url}
        )
        if response is not None and response.status_code == 302:
            acked[username] = (saves, text, Decimal(score), first_score)
        elif response is not None:
            acked.setdefault(f"{username}:refused", []).append(response.status_code)
        stop.wait(rng.uniform(0.5, 1.5))


# --- orchestration ----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--enterprises", type=int, default=50)
    parser.add_argument("--duration", type=int, default=75)
    parser.add_argument("--publish-after", type=int, default=15)
    parser.add_argument("--gunicorn", default="--workers 4 --threads 4 --keep-alive 10")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks" / "load.md"))
    options = parser.parse_args()
    command = "DATABASE_URL=… REDIS_URL=… .venv/bin/python scripts/load_test.py " + " ".join(
        shlex.quote(a) for a in sys.argv[1:]
    )

    base = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/integrity"))
    scratch = base.path.lstrip("/") + "_load"
    scratch_url = urlunparse(base._replace(path="/" + scratch))
    admin = ["-h", base.hostname or "127.0.0.1", "-p", str(base.port or 5432)]
    admin += ["-U", base.username or "postgres"]
    subprocess.run(["dropdb", "--if-exists", *admin, scratch], check=True)
    subprocess.run(
        ["createdb", *admin, "-T", "template0", "-E", "UTF8", "--lc-ctype=C.UTF-8"]
        + ["--lc-collate=C.UTF-8", scratch],
        check=True,
    )
    scratch_dir = Path(tempfile.mkdtemp(prefix="load-test-"))
    os.environ.update(
        DATABASE_URL=scratch_url,
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/10"),
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        # Kept between runs: the manifest storage's collectstatic takes minutes on a busy machine.
        DJANGO_STATIC_ROOT=str(ROOT / ".local" / "load-static"),
        DJANGO_MEDIA_ROOT=str(scratch_dir / "media"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        DJANGO_LOG_LEVEL="WARNING",
        # The clients set X-Real-IP as a reverse proxy would: throttles count each of them.
        DJANGO_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
    )
    processes: list[subprocess.Popen] = []
    try:
        import django

        django.setup()
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        if not (ROOT / ".local" / "load-static" / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
        seeded = seed(options.units, options.enterprises)
        print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)

        port = free_port()
        web_log = scratch_dir / "gunicorn.log"
        worker_log = scratch_dir / "worker.log"
        bin_dir = Path(sys.executable).parent
        processes.append(
            subprocess.Popen(
                [str(bin_dir / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}"]
                + shlex.split(options.gunicorn)
                + ["--timeout", "120", "--error-logfile", str(web_log)],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(
            subprocess.Popen(
                [str(bin_dir / "celery"), "-A", "portal", "worker", "--loglevel", "INFO"]
                + ["--concurrency", str(options.celery_concurrency), "--without-gossip"]
                + ["--without-mingle", "--without-heartbeat"],
                cwd=ROOT,
                stdout=worker_log.open("w"),
                stderr=subprocess.STDOUT,
            )
        )
        base_url = f"http://127.0.0.1:{port}"
        import requests

        def web_up() -> bool:
            try:
                return requests.get(f"{base_url}/health/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        if not wait_for(web_up, timeout=90) or not wait_for(
            lambda: " ready." in worker_log.read_text(), timeout=90
        ):
            raise SystemExit(f"web or worker did not start; see {scratch_dir}")
        report = run(options, seeded, base_url)
        report["command"] = command
        write_report(options, report)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        from django.db import connections

        connections.close_all()
        subprocess.run(["dropdb", "--if-exists", *admin, scratch], check=False)
        print(f"logs kept in {scratch_dir}")


def run(options, seeded: dict, base: str) -> dict:
    from django.db.models import Q

    from assessments.models import Application, SelfScore, Status
    from linkage.models import Notice
    from ratings.models import Publication

    stats, stop, acked = Stats(), threading.Event(), {}
    threads = [
        threading.Thread(target=reader, args=(base, seeded, stats, stop), daemon=True)
        for _ in range(options.readers)
    ] + [
        threading.Thread(target=enterprise, args=(base, name, pk, stats, stop, acked), daemon=True)
        for name, pk in seeded["enterprises"]
    ]
    load_started = time.perf_counter()
    for thread in threads:
        thread.start()
    time.sleep(options.publish_after)

    cycle = seeded["cycle"]
    batch = Application.objects.filter(cycle=cycle, status=Status.CONFIRMED).count()
    published_at = time.perf_counter()
    # In a process of its own: in this one it would compete for the GIL with 250 user threads.
    subprocess.run(
        [sys.executable, __file__, "--publish-batch", str(cycle.pk), str(seeded["bureau"].pk)],
        check=True,
        cwd=ROOT,
    )
    committed = time.perf_counter() - published_at
    publication = Publication.objects.get(cycle=cycle, document_number=1)
    batch_notices = Notice.objects.filter(rating__publication=publication)
    delivered = wait_for(
        lambda: (
            batch_notices.exists() and not batch_notices.filter(delivered_at__isnull=True).exists()
        ),
        timeout=max(1, options.duration - (time.perf_counter() - load_started)) + 240,
        interval=0.2,
    )
    delivered_after = time.perf_counter() - published_at if delivered else None
    remaining = options.duration - (time.perf_counter() - load_started)
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    load_seconds = time.perf_counter() - load_started

    # Lost saves: the last acknowledged value of each enterprise must be what the DB holds.
    lost, checked = [], 0
    by_user = {name: pk for name, pk in seeded["enterprises"]}
    for name, (saves, text, score, field) in (
        (k, v) for k, v in acked.items() if not k.endswith(":refused")
    ):
        checked += 1
        application = Application.objects.get(pk=by_user[name])
        item_pk = int(field.split("-")[1])
        stored = SelfScore.objects.filter(application=application, item_id=item_pk).first()
        if application.self_report != text or stored is None or stored.score != score:
            lost.append(f"{name} save {saves}: DB has {application.self_report!r}")
    refused = {k: v for k, v in acked.items() if k.endswith(":refused")}
    return {
        "stats": stats,
        "load_seconds": load_seconds,
        "publish_committed": committed,
        "delivered_after": delivered_after,
        "notices": batch_notices.count(),
        "undelivered": batch_notices.filter(delivered_at__isnull=True).count(),
        "published": Application.objects.filter(
            Q(cycle=cycle) & Q(status=Status.PUBLISHED)
        ).count(),
        "lost": lost,
        "checked": checked,
        "refused": refused,
        "batch": batch,
    }


def write_report(options, report: dict) -> None:
    stats: Stats = report["stats"]
    rows = []
    total = errors = 0
    for page in sorted(stats.latency):
        values = stats.latency[page]
        total += len(values)
        errors += stats.server_errors[page]
        rows.append(
            f"| {page} | {len(values)} | {stats.server_errors[page]} | "
            f"{stats.client_errors[page]} | {percentile(values, 50) * 1000:.0f} | "
            f"{percentile(values, 95) * 1000:.0f} |"
        )
    delivered = report["delivered_after"]
    summary = [
        f"- load: {options.readers} readers + {options.enterprises} enterprises for "
        f"{report['load_seconds']:.0f} s; {total} requests ({total / report['load_seconds']:.0f}/s); "
        f"gunicorn `{options.gunicorn}`, celery worker concurrency {options.celery_concurrency}",
        f"- server errors (5xx or transport): **{errors}**",
        f"- lost saves: **{len(report['lost'])}** of {report['checked']} enterprises checked "
        "(last acknowledged report text and first-item score vs the database)",
        f"- publication of {report['batch']} confirmed results: committed in "
        f"{report['publish_committed']:.1f} s; {report['published']} applications published",
        f"- notices of the batch: {report['notices']}, undelivered at the end "
        f"{report['undelivered']}; all delivered "
        + (f"**{delivered:.1f} s** after publication started" if delivered else "**not in time**"),
    ]
    if report["refused"]:
        summary.append(f"- saves refused (4xx): {report['refused']}")
    if stats.samples:
        summary.append("- kinds of error seen: " + ", ".join(stats.samples))
    table = "\n".join(
        ["| page | requests | 5xx/errors | 4xx | p50 ms | p95 ms |", "|---|---|---|---|---|---|"]
        + rows
    )
    text = "\n".join(summary) + "\n\n" + table + "\n"
    print(text)
    output = Path(options.output)
    template = output.read_text() if output.exists() else ""
    marker = "<!-- figures -->"
    if marker in template:
        head = template.split(marker)[0]
        stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        output.write_text(
            f"{head}{marker}\n\nRun {stamp}, command:\n\n    {report['command']}\n\n{text}"
        )


def publish_batch(cycle_pk: str, bureau_pk: str) -> None:
    """The bureau's publication of every confirmed result of the cycle, as the view does it."""
    import django

    django.setup()
    from django.utils import timezone

    from assessments.models import Application, Cycle, Status
    from portal.models import User
    from ratings.services.publication import create_publication

    cycle = Cycle.objects.get(pk=cycle_pk)
    create_publication(
        cycle=cycle,
        applications=list(
            Application.objects.filter(cycle=cycle, status=Status.CONFIRMED).order_by("pk")
        ),
        publish_on=timezone.localdate(),
        document_number=1,
        actor=User.objects.get(pk=bureau_pk),
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--publish-batch"]:
        publish_batch(*sys.argv[2:4])
    else:
        main()
