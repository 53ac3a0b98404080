#!/usr/bin/env python3
"""Benchmark the public pages when the cache cannot help: a different question every request.

    python scripts/bench_public_cold.py                 # 100,000 units × 3 cycles, print markdown
    python scripts/bench_public_cold.py --write         # also write docs/benchmarks/public-cold.md
    python scripts/bench_public_cold.py --db integrity_province --units 1000000 --cycles 5 --write

Set-up as in bench_public.py (a seeded database of its own, gunicorn with production settings,
2 sync workers, loopback), with two differences: the public cache is off
(PUBLIC_CACHE_SECONDS=0) and wrk is given thousands of URLs sampled from the seeded data — name
fragments cut from real unit names, credit codes of rated units, API queries — and sends a
different one on every request (a Lua ``request()`` walking a shuffled list). Beside the bare
view (a small template, no query) it measures the one-query view (one primary-key query of a
random unit and a small template), the practical limit for any page that reads the database.
Each page is reported as a ratio to the bare view of the same round, with p50/p95, errors and
wrk timeouts (2 s), the load average during the run, and EXPLAIN of every kind of search.
"""

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_public import (  # noqa: E402
    PYTHON,
    ROOT,
    free_port,
    manage,
    seed_if_needed,
    server_env,
    shell,
    wait_until_up,
)

LUA = """
local paths = {}
local index = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  index = tonumber(args[2])  -- each thread starts elsewhere in the list
end
request = function()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH rps=%.1f p50=%.2f p95=%.2f max=%.2f requests=%d errors=%d timeouts=%d non2xx=%d\\n",
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency.max / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout, summary.errors.status))
end
"""

SAMPLE = """
import json, random
from ratings.models import Rating
from units.models import Area, Unit
random.seed(20261130)
names = list(Unit.objects.order_by("?").values_list("name", flat=True)[:6000])
codes = list(
    Rating.objects.current().order_by("?").values_list("unit__credit_code", flat=True)[:6000]
)
pks = list(Unit.objects.order_by("?").values_list("pk", flat=True)[:6000])
areas = list(Area.objects.values_list("name", flat=True))
def cut(name, size):
    start = random.randrange(0, max(1, len(name) - size + 1))
    return name[start:start + size]
print(json.dumps({
    "two": [cut(n, 2) for n in names], "four": [cut(n, 4) for n in names],
    "codes": codes, "pks": pks, "areas": areas,
}))
"""

# The plans of the queries the views really issue: each page is requested through Django's
# test client in the seeded database, every query and its parameters recorded as the view sends
# it (prepared ones too), and every SELECT explained with those parameters.
EXPLAIN = """
from django.db import connection
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for label, path in {samples!r}:
    sent = []
    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)
    with connection.execute_wrapper(record):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    print("### " + label + ": GET " + path + " (" + str(len(sent)) + " queries)")
    for number, (sql, params) in enumerate(sent, 1):
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\\n".join(row[0] for row in cursor.fetchall())
        print("-- query " + str(number) + ": " + sql[:240])
        print(plan)
"""
BIG_TABLES = (
    *("units_unit", "ratings_rating", "assessments_application", "ratings_certificate"),
    *("public_searchentry", "public_searchpair"),
)


def explain(env: dict, sample: dict) -> str:
    q = urllib.parse.quote
    samples = [
        ("2-character fragment", f"/search/?q={q(sample['two'][0])}"),
        ("4-character fragment", f"/search/?q={q(sample['four'][0])}"),
        ("credit code", f"/search/?q={sample['codes'][0]}"),
        ("area + star", f"/search/?area={q(sample['areas'][0])}&star=4"),
        ("unit page", f"/search/units/{sample['codes'][0]}/"),
        ("open-data API with q", f"/api/v1/ratings/?q={q(sample['two'][0])}"),
    ]
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", EXPLAIN.format(samples=samples)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise SystemExit(f"EXPLAIN failed:\n{result.stderr[-3000:]}")
    return result.stdout


def sequential_scans(plans: str) -> dict[str, list[str]]:
    """Per page, the large tables its queries read by a sequential scan (none: all by index)."""
    found = {}
    for label, section in re.findall(r"### ([^:]+): GET .*?\n(.*?)(?=\n### |\Z)", plans, re.S):
        found[label] = sorted(
            {table for table in BIG_TABLES if re.search(rf"Seq Scan on {table}\b", section)}
        )
    return found


def wrk(base: str, paths: list[str], seconds: int, connections: int, script: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths) + "\n")
    offset = random.randrange(len(paths))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "2s", "-s", script]
        + [base, "--", listing.name, str(offset)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    os.unlink(listing.name)
    match = re.search(
        r"BENCH rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) max=([\d.]+) requests=(\d+) "
        r"errors=(\d+) timeouts=(\d+) non2xx=(\d+)",
        output,
    )
    if not match:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    rps, p50, p95, top, requests, errors, timeouts, non2xx = match.groups()
    return {
        "rps": float(rps),
        "p50": float(p50),
        "p95": float(p95),
        "max": float(top),
        "requests": int(requests),
        "errors": int(errors) + int(non2xx),
        "timeouts": int(timeouts),
    }


def pages(sample: dict) -> list[tuple[str, list[str]]]:
    q = urllib.parse.quote
    random.seed(7)
    area_star = [f"/search/?area={q(a)}&star={s}" for a in sample["areas"] for s in (0, 3, 4, 5)]
    return [
        ("bare Django view (small template, no query)", ["/search/bench/bare/"]),
        (
            "one-query view (primary key + small template)",
            [f"/search/bench/one-query/?pk={pk}" for pk in sample["pks"]],
        ),
        ("search: 2-character fragment", [f"/search/?q={q(f)}" for f in sample["two"]]),
        ("search: 4-character fragment", [f"/search/?q={q(f)}" for f in sample["four"]]),
        ("search: credit code", [f"/search/?q={c}" for c in sample["codes"]]),
        ("search: area + star", random.sample(area_star, len(area_star))),
        ("unit page", [f"/search/units/{c}/" for c in sample["codes"]]),
        ("open-data API with q", [f"/api/v1/ratings/?q={q(f)}" for f in sample["two"]]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="integrity_bench")
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--cycles", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks/")
    parser.add_argument(
        "--explain", action="store_true", help="only print the query plans of every page kind"
    )
    args = parser.parse_args()
    if not args.explain and not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    env = server_env(args.db, PUBLIC_CACHE_SECONDS="0")
    seed_seconds = seed_if_needed(env, args.units, args.cycles)
    import json

    sample = json.loads(shell(env, SAMPLE).strip().splitlines()[-1])
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env["DJANGO_STATIC_ROOT"] = static_root
    manage(env, "collectstatic", "--noinput", "-v0", "--ignore", "NotoSerifSC-*.ttf")
    plans = explain(env, sample)
    if args.explain:
        shutil.rmtree(static_root, ignore_errors=True)
        print(plans)
        for label, tables in sequential_scans(plans).items():
            print(
                f"{label}: sequential scan of {', '.join(tables) if tables else 'no large table'}"
            )
        return

    port = free_port()
    gunicorn = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi", "--workers", str(args.workers)]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    measured_pages = pages(sample)
    rounds: list[list[dict]] = []
    load_before = os.getloadavg()
    try:
        wait_until_up(f"{base}/search/bench/bare/")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(LUA)
        # Warm the processes and PostgreSQL's buffers once with other samples than measured.
        for _label, paths in measured_pages:
            wrk(base, paths[::-1], 2, args.connections, script.name)
        for number in range(args.rounds):
            measured = []
            for label, paths in measured_pages:
                figures = wrk(base, paths, args.seconds, args.connections, script.name)
                measured.append(figures)
                print(
                    f"round {number + 1} {label}: {figures['rps']:.0f} req/s, "
                    f"p95 {figures['p95']:.0f} ms, max {figures['max']:.0f} ms, "
                    f"errors {figures['errors']}, timeouts {figures['timeouts']}",
                    flush=True,
                )
            rounds.append(measured)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    load_after = os.getloadavg()

    results = []
    for index, (label, paths) in enumerate(measured_pages):
        per_round = [measured[index] for measured in rounds]
        summary = {k: statistics.median(f[k] for f in per_round) for k in ("rps", "p50", "p95")}
        summary["max"] = max(f["max"] for f in per_round)
        summary["ratio"] = statistics.median(
            f["rps"] / measured[0]["rps"] for f, measured in zip(per_round, rounds, strict=True)
        )
        summary["errors"] = sum(f["errors"] for f in per_round)
        summary["timeouts"] = sum(f["timeouts"] for f in per_round)
        results.append((label, len(paths), summary))

    load = f"{load_before[0]:.1f} before, {load_after[0]:.1f} after, on {os.cpu_count()} CPUs"
    report = render(args, results, plans, seed_seconds, load)
    print(report)
    if args.write:
        name = "public-cold.md" if args.units <= 100_000 else "public-cold-province.md"
        (ROOT / "docs" / "benchmarks" / name).write_text(report, encoding="utf-8")


def render(args, results, plans: str, seed_seconds, load: str) -> str:
    rows = [
        f"| {label} | {distinct} | {f['rps']:.0f} | {f['p50']:.0f} | {f['p95']:.0f} | "
        f"{f['max']:.0f} | **{f['ratio']:.2f}** | {f['errors']} | {f['timeouts']} |"
        for label, distinct, f in results
    ]
    seeded = f"{seed_seconds:.0f} s" if seed_seconds else "reused an already seeded database"
    command = "python scripts/bench_public_cold.py --write"
    if args.units != 100_000 or args.cycles != 3:
        command += f" --db {args.db} --units {args.units} --cycles {args.cycles}"
    return "\n".join(
        [
            f"# Public pages on cache misses ({args.units:,} units × {args.cycles} cycles)",
            "",
            f"Produced by `{command}` (see its docstring). Data: `seed_bulk --units "
            f"{args.units} --cycles {args.cycles}` ({seeded}). Server: gunicorn, "
            f"{args.workers} sync workers, production settings, public cache off, loopback. "
            f"Load: `wrk -t2 -c{args.connections} -d{args.seconds}s --timeout 2s`, a different "
            f"URL on every request; {args.rounds} rounds over all pages, medians reported, each "
            "ratio taken against the bare view of the same round. "
            f"Load average during the run: {load}.",
            "",
            "| page | distinct URLs | req/s | p50 ms | p95 ms | max ms | ratio to bare | errors "
            "| timeouts |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "Targets at 100,000 units × 3 cycles: search ≥ 0.35, unit page ≥ 0.40, API ≥ 0.35, "
            "no request over 2 s; at 1,000,000 × 5 cold search ≥ 0.25.",
            "",
            "## Query plans of every kind of page",
            "",
            "Each page requested once through Django's test client in the seeded database, its "
            "queries and their parameters recorded as sent (prepared ones too) and every SELECT "
            "run again under `EXPLAIN (ANALYZE, BUFFERS)`. Large tables read by a sequential "
            "scan:",
            "",
            *[
                f"- {label}: {', '.join(tables) if tables else 'none (every read by an index)'}"
                for label, tables in sequential_scans(plans).items()
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
