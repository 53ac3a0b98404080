#!/usr/bin/env python3
"""Benchmark the public pages against a bare Django view, on gunicorn, under wrk.

    python scripts/bench_public.py                  # seed (if needed), run, print markdown
    python scripts/bench_public.py --write          # also write docs/benchmarks/public.md

Steps: (1) a separate database (default integrity_bench, created UTF-8/C.UTF-8 by
scripts/ensure_services.sh), migrated and filled by ``seed_bulk --units 100000 --cycles 3``
unless it already holds that many units; (2) collectstatic into a temporary directory;
(3) gunicorn (production settings, DEBUG off, 2 sync workers, loopback) with
BENCHMARK_BARE_VIEW=1, which mounts the reference view /search/bench/bare/ rendering a small
template — the only process-wide difference from a normal server; (4) per URL a warm-up, then
``wrk -t2 -c20 -d10s`` with a Lua script reporting requests/s and p50/p95 latency, in
rounds over all URLs (medians; ratios against the bare view of the same round); (5) EXPLAIN
ANALYZE of the two-character name search, to show the GIN bigram index serving it.
Each page's throughput is reported as a ratio to the bare view measured in the same run.
Needs wrk (``apt-get install -y wrk``).
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
LUA = """
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("BENCH rps=%.1f p50=%.2f p95=%.2f requests=%d errors=%d non2xx=%d\\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests, errors, summary.errors.status))
end
"""


def run(command: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = run([PYTHON, "manage.py", *args], env, capture_output=capture)
    return result.stdout if capture else ""


def shell(env: dict, code: str) -> str:
    return run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", code], env, capture_output=True
    ).stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def server_env(db: str, **extra: str) -> dict:
    """Environment of a production-settings server on a benchmark database of its own."""
    base_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return {
        **base_env,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}",
        "INTEGRITY_DB_NAME": db,
        "REDIS_URL": base_env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "BENCHMARK_BARE_VIEW": "1",
        **extra,
    }


def seed_if_needed(env: dict, units: int, cycles: int) -> float | None:
    """Services up, database migrated and seeded; seconds spent seeding, None if reused."""
    run(["bash", "scripts/ensure_services.sh"], env, capture_output=True)
    manage(env, "migrate", "--noinput", "-v0")
    count = int(shell(env, "from units.models import Unit; print(Unit.objects.count())"))
    if count >= units:
        return None
    started = time.monotonic()
    manage(env, "seed_bulk", "--units", str(units), "--cycles", str(cycles))
    return time.monotonic() - started


def wrk(url: str, seconds: int, connections: int, script: str) -> dict:
    subprocess.run(
        ["wrk", "-t2", f"-c{connections}", "-d2s", url], check=True, capture_output=True
    )  # warm-up: connections, caches, the PostgreSQL buffer cache
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(
        r"BENCH rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) requests=(\d+) errors=(\d+) non2xx=(\d+)",
        output,
    )
    if not match:
        raise SystemExit(f"unexpected wrk output for {url}:\n{output}")
    rps, p50, p95, requests, errors, non2xx = match.groups()
    return {
        "rps": float(rps),
        "p50": float(p50),
        "p95": float(p95),
        "requests": int(requests),
        "errors": int(errors) + int(non2xx),
    }


def targets(env: dict) -> list[tuple[str, str]]:
    """The URLs to measure, picked from the seeded data."""
    picked = shell(
        env,
        "from ratings.models import Rating\n"
        "from units.models import Unit\n"
        "r = Rating.objects.filter(revoked_at__isnull=True).select_related('unit', 'cycle')"
        ".order_by('-cycle__year', 'pk')[1234]\n"
        "u = Unit.objects.order_by('pk')[5678]\n"
        "print(r.unit.credit_code, u.credit_code, r.cycle.year, r.unit.area.name)\n",
    ).split()
    rated_code, search_code, year, area = picked
    q = urllib.parse.quote
    return [
        ("bare Django view (small template)", "/search/bench/bare/"),
        ("search: 2-char fragment 化工", f"/search/?q={q('化工')}"),
        ("search: 2-char fragment 新郑 (44% of names)", f"/search/?q={q('新郑')}"),
        ("search: credit code", f"/search/?q={search_code}"),
        ("search: area + star", f"/search/?area={q(area)}&star=4"),
        ("unit page", f"/search/units/{rated_code}/"),
        ("API page (cycle + area, 50 rows)", f"/api/v1/ratings/?cycle={year}&area={q(area)}"),
    ]


EXPLAIN = """
from django.db import connection, transaction
from units.models import Unit
from portal.name_search import filter_name
for fragment in ("化工", "鑫源", "新郑"):
    plan = filter_name(Unit.objects.only("id"), fragment).explain(analyze=True)
    print("### " + fragment)
    print(plan)
# A fragment in nearly half of all names is read faster by a scan; show the index can serve it.
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    print("### 新郑(enable_seqscan=off)")
    print(filter_name(Unit.objects.only("id"), "新郑").explain(analyze=True))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="integrity_bench")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks/public.md")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    env = server_env(args.db)
    seed_seconds = seed_if_needed(env, args.units, args.cycles)
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env["DJANGO_STATIC_ROOT"] = static_root
    manage(env, "collectstatic", "--noinput", "-v0")

    port = free_port()
    gunicorn = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "portal.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    rounds: list[list[dict]] = []
    load_before = os.getloadavg()
    try:
        wait_until_up(f"http://127.0.0.1:{port}/search/bench/bare/")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA)
        pages = targets(env)
        # Rounds of every URL in turn: background load drifts, so each page is compared with
        # the bare view of its own round and the median of the rounds is reported.
        for number in range(args.rounds):
            measured = []
            for label, path in pages:
                url = f"http://127.0.0.1:{port}{path}"
                figures = wrk(url, args.seconds, args.connections, script.name)
                measured.append(figures)
                print(
                    f"round {number + 1} {label}: {figures['rps']:.0f} req/s, "
                    f"p95 {figures['p95']:.1f} ms",
                    flush=True,
                )
            rounds.append(measured)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    load_after = os.getloadavg()
    results = []
    for index, (label, path) in enumerate(pages):
        per_round = [measured[index] for measured in rounds]
        results.append(
            (
                label,
                path,
                {
                    key: statistics.median(figures[key] for figures in per_round)
                    for key in ("rps", "p50", "p95")
                }
                | {
                    "ratio": statistics.median(
                        figures["rps"] / measured[0]["rps"]
                        for figures, measured in zip(per_round, rounds, strict=True)
                    ),
                    "errors": sum(figures["errors"] for figures in per_round),
                },
            )
        )
    plans = shell(env, EXPLAIN)
    load = f"{load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} CPUs"
    report = render(args, results, plans, seed_seconds, load)
    print(report)
    if args.write:
        (ROOT / "docs" / "benchmarks" / "public.md").write_text(report, encoding="utf-8")


def render(args, results, plans: str, seed_seconds, load: str) -> str:
    rows = [
        f"| {label} | `{urllib.parse.unquote(path)}` | {f['rps']:.0f} | {f['p50']:.1f} | "
        f"{f['p95']:.1f} | {f['ratio']:.2f} | {f['errors']} |"
        for label, path, f in results
    ]
    uses_gin = {
        fragment: "Index Scan on unit_name_bigrams_gin" in section
        for fragment, section in re.findall(r"### (\S+)\n(.*?)(?=###|\Z)", plans, re.S)
    }
    seeded = f"{seed_seconds:.0f} s" if seed_seconds else "reused an already seeded database"
    return "\n".join(
        [
            "# Public pages benchmark",
            "",
            "Produced by `python scripts/bench_public.py --write` (see its docstring for the set-up).",
            f"Data: `seed_bulk --units {args.units} --cycles {args.cycles}` ({seeded}). "
            f"Server: gunicorn, {args.workers} sync workers, production settings, loopback. "
            f"Load: `wrk -t2 -c{args.connections} -d{args.seconds}s` after a 2 s warm-up, "
            f"on the same machine; {args.rounds} rounds over all URLs, medians reported, each "
            "ratio taken against the bare view of the same round. "
            f"Load average during the run: {load} (absolute figures drift with the machine's "
            "other work; compare the ratios).",
            "",
            "| page | URL | req/s | p50 ms | p95 ms | ratio to bare | errors |",
            "|---|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "Target: every public page at least 1/3 (0.33) of the bare view's throughput.",
            "",
            "## Two-character name search and the GIN bigram index",
            "",
            *[
                f"- `{fragment}`: plan {'uses' if used else 'does not use'} `unit_name_bigrams_gin`"
                for fragment, used in uses_gin.items()
            ],
            "",
            "```",
            plans.strip(),
            "```",
            "",
        ]
    )


if __name__ == "__main__":
    main()
