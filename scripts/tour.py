#!/usr/bin/env python3
"""A role-by-role tour of the portal in Debian's chromium: every page each demo role reaches,
in Chinese and English, on a desktop and a phone, with a full-page screenshot and checks.

    make run                                  # in another shell: demo data on :8000
    .venv/bin/python scripts/tour.py          # tour http://127.0.0.1:8000, report below
    .venv/bin/python scripts/tour.py --roles enterprise,anonymous --languages en --widths 390

It signs in as each demo role (plus anonymous), starts from the dashboard (home page for
anonymous) and follows same-site GET links breadth-first: at most ``--per-pattern`` URLs of one
shape (``/units/17/`` and ``/units/18/`` are one shape; query values are ignored) and
``--max-pages`` per role, never logout, language switching, downloads or uploaded files. The
pages found in Chinese at 1366 px are then opened in every language × width.

Per page it reports HTTP errors (≥ 400), browser console errors, failed or ≥ 400 assets
(favicon included), horizontal overflow, table cells whose Chinese text breaks into one- or
two-character lines, ``<input type=date|datetime-local>`` values the browser rejects, broken
images, and on English pages Chinese outside data. Data is every text value stored in the
database (unit, area, industry, department, person names, reasons typed by users, ...), except
cycle names, which the UI must translate; an element marked ``lang="zh-CN"`` or
``translate="no"`` is data too.

Screenshots: ``test-artifacts/tour/<role>/<lang>-<width>/NNN-<path>.png``; report:
``test-artifacts/tour/report.txt`` and ``report.json``. ``tests/test_tour.py`` runs it in
``make test`` against a live server on demo data. Reads the database named by DATABASE_URL
(for the data names); exits 1 when there are findings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "tour"
CHECKS_JS = (Path(__file__).with_name("tour_checks.js")).read_text(encoding="utf-8")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "Demo-2026!"
ROLES = [
    "anonymous",
    "enterprise",
    "township",
    "supervisor",
    "bureau",
    "bureau2",
    "expert",
    "expert2",
    "government",
    "department",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
# The second clerk and the second expert see the same kinds of pages as the first: they tour
# their dashboard and what it and their navigation link to (their own work lists), not the
# objects behind them, which bureau and expert cover.
TWINS = {"bureau2", "expert2"}
LANGUAGES = ["zh-hans", "en"]
WIDTHS = {1366: 900, 390: 844}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
MASKED_NAME = re.compile(r"[\u3400-\u9fff]{1,2}\*+")
# Chinese text with its own punctuation inside (“全，专家”), the unit a reader sees as one phrase.
HAN_PHRASE = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff](?:[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]*"
    r"[\u3400-\u9fff\uf900-\ufaff])?"
)
# The language switcher names each language in its own script, on purpose.
ALWAYS_ALLOWED_HAN = ["简体中文"]
SKIPPED_PATH = re.compile(
    r"(^/i18n/|^/admin/|^/static/|^/media/|^/api/|logout|/download|/export|/pdf/?$|"
    r"\.(pdf|xlsx?|csv|zip|json|atom|pem|png|jpe?g|txt|xml|ofd)$)",
    re.IGNORECASE,
)


@dataclass
class Finding:
    role: str
    language: str
    width: int
    url: str
    check: str
    detail: str


@dataclass
class Visit:
    role: str
    language: str
    width: int
    path: str
    index: int


@dataclass
class TourResult:
    findings: list[Finding] = field(default_factory=list)
    pages: dict[str, list[str]] = field(default_factory=dict)
    screenshots: int = 0
    seconds: float = 0.0
    timings: defaultdict = field(default_factory=lambda: defaultdict(float))


class SecondStepRequired(RuntimeError):
    """Sign-in asked for something beyond user name and password that the tour cannot give."""


def demo_second_factor_code(username: str) -> str:
    """A code the verification page accepts now (portal/demo/two_factor.py, README)."""
    from portal.demo.two_factor import sign_in_code
    from portal.models import User

    return sign_in_code(User.objects.get(username=username))


async def sign_in(browser, base: str, username: str, password: str = DEMO_PASSWORD) -> dict:
    """Sign in through the real form; return the storage state every context of the role reuses.

    The one place that knows the sign-in journey: a second step (a one-time code, a forced
    password change) is answered here.
    """
    context = await browser.new_context()
    context.set_default_timeout(90_000)
    page = await context.new_page()
    await page.goto(f"{base}/accounts/login/")
    form = page.locator("form:has(input[name=password])")
    await form.locator("input[name=username]").fill(username)
    await form.locator("input[name=password]").fill(password)
    await form.locator("button[type=submit], input[type=submit]").first.click()
    await page.wait_for_load_state("load")
    if await page.locator("input[name=password]").count() and "/accounts/login/" in page.url:
        message = await page.locator("main").inner_text()
        await context.close()
        raise SecondStepRequired(f"{username} could not sign in: {message.strip()[:200]}")
    if await page.locator("input[autocomplete=one-time-code]").count():
        # Bureau, government and administrator accounts: the demo authenticator's code.
        code = await asyncio.to_thread(demo_second_factor_code, username)
        await page.locator("input[autocomplete=one-time-code]").fill(code)
        await page.locator("main form button[type=submit]").first.click()
        await page.wait_for_load_state("load")
    if (
        "/accounts/login/" in page.url
        or await page.locator("input[autocomplete=one-time-code]").count()
    ):
        await context.close()
        raise SecondStepRequired(f"{username}: sign-in asks for a second step at {page.url}")
    state = await context.storage_state()
    await context.close()
    return state


def url_shape(path_and_query: str) -> str:
    """``/units/17/?page=2`` → ``/units/{}/``: one shape per kind of page (a filtered or later
    page of a list is the same template)."""
    path = urlsplit(path_and_query).path
    return "/".join("{}" if re.search(r"\d", segment) else segment for segment in path.split("/"))


def screenshot_name(index: int, path: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-") or "home"
    return f"{index:03d}-{slug[:80]}.png"


def data_strings() -> list[str]:
    """Every Chinese text the database holds, except what the UI itself must translate.

    Whitelisting by the database rather than marking data in templates: the templates are
    many and are being changed by others; the database knows exactly which names are data.
    Cycle names ("2026年度") are stored but are the UI's to translate, so they are not data;
    nor is the audit log's copy of every object's name (the objects' own tables hold the data).
    """
    from django.apps import apps
    from django.db import models

    not_data = {("assessments", "cycle", "name")}
    found: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in {
            "units",
            "assessments",
            "ratings",
            "linkage",
            "portal",
        }:
            continue
        for model_field in model._meta.get_fields():
            if (
                not isinstance(model_field, (models.CharField, models.TextField))
                or model_field.choices
            ):
                continue
            if (model._meta.app_label, model._meta.model_name, model_field.name) in not_data:
                continue
            values = model.objects.exclude(**{model_field.name: ""}).values_list(
                model_field.name, flat=True
            )
            for value in values.distinct().iterator():
                if value and HAN.search(value):
                    found.update(
                        part.strip() for part in str(value).splitlines() if HAN.search(part)
                    )
    from units.importing import HEADERS

    # Chinese an English reader must see as it is: the import file's header row, and examples
    # of what to type or read ("新郑", the bureau's document number format).
    found.update(HEADERS)
    found.update(["新郑", "化工", "新安监〔year〕N号"])
    # The site's own facts in the footer are settings, written as they are registered.
    from django.conf import settings

    found.update([settings.SITE_ADDRESS, settings.SITE_ICP_NUMBER])
    return sorted(found, key=len, reverse=True)


class Tour:
    def __init__(
        self, base, *, roles, languages, widths, data, out, max_pages, per_pattern, concurrency
    ):
        self.base = base.rstrip("/")
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.base))
        self.roles, self.languages, self.widths = roles, languages, widths
        self.data = list(data) + ALWAYS_ALLOWED_HAN
        self.all_data = "\n".join(self.data)
        self.out, self.max_pages, self.per_pattern = out, max_pages, per_pattern
        self.slots = asyncio.Semaphore(concurrency)
        self.result = TourResult()
        self.contexts: dict[tuple, object] = {}
        self.checked_icons: set[tuple] = set()
        # Signed-in roles leave the public site (home, search, publicity, ...) to the anonymous
        # tour: the same pages under another navigation bar would double the run.
        self.public_shapes: set[str] = set()
        self.public_known = asyncio.Event()
        if "anonymous" not in roles:
            self.public_known.set()

    def report(self, visit: Visit, url: str, check: str, detail: str) -> None:
        self.result.findings.append(
            Finding(visit.role, visit.language, visit.width, url, check, detail)
        )

    def local_path(self, page_url: str, href: str) -> str | None:
        absolute, _fragment = urldefrag(urljoin(page_url, href))
        parts = urlsplit(absolute)
        if (
            parts.scheme not in {"http", "https"}
            or f"{parts.scheme}://{parts.netloc}" != self.origin
        ):
            return None
        path = parts.path + ("?" + parts.query if parts.query else "")
        return None if SKIPPED_PATH.search(parts.path) else path

    async def context_for(self, browser, visit: Visit, state):
        key = (visit.role, visit.language, visit.width)
        if key not in self.contexts:
            context = await browser.new_context(
                viewport={"width": visit.width, "height": WIDTHS[visit.width]},
                locale="zh-CN",
                storage_state=state,
                accept_downloads=False,
            )
            await context.add_cookies(
                [{"name": "django_language", "value": visit.language, "url": self.base}]
            )
            context.set_default_timeout(90_000)
            self.contexts[key] = context
        return self.contexts[key]

    async def visit(self, browser, visit: Visit, state, *, collect_links: bool) -> list[str] | None:
        """Open, check and screenshot one page; its same-site links, or None if not a page."""
        context = await self.context_for(browser, visit, state)
        async with self.slots:
            page = await context.new_page()
            try:
                return await self._check_page(page, visit, collect_links)
            except Exception as error:  # noqa: BLE001 - one stuck page must not end the tour
                self.report(
                    visit,
                    self.base + visit.path,
                    "tour",
                    f"{type(error).__name__}: {str(error)[:200]}",
                )
                return []
            finally:
                await page.close()

    async def _check_page(self, page, visit: Visit, collect_links: bool) -> list[str] | None:
        url = self.base + visit.path
        problems: list[tuple[str, str]] = []
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and not message.text.startswith("Failed to load resource")
                and problems.append(("console", message.text[:300]))
            ),
        )
        page.on("pageerror", lambda error: problems.append(("console", f"uncaught: {error}"[:300])))

        def on_response(response):
            if response.status >= 400 and response.request.resource_type != "document":
                problems.append(("asset", f"{response.status} {response.url}"))

        page.on("response", on_response)
        page.on(
            "requestfailed",
            lambda request: (
                request.resource_type != "document"
                and problems.append(("asset", f"failed {request.url}: {request.failure}"))
            ),
        )
        clock = time.monotonic()
        try:
            response = await page.goto(url, wait_until="load", timeout=60_000)
        except Exception as error:  # noqa: BLE001 - a download or a dead link is reported, not raised
            if "Download is starting" not in str(error):
                self.report(visit, url, "http", f"could not open: {str(error).splitlines()[0]}")
            return None
        status = response.status if response else 0
        if status >= 400:
            self.report(visit, url, "http", f"HTTP {status}")
        if "text/html" not in ((response and response.headers.get("content-type")) or ""):
            return None  # a PDF or a feed: no screenshot, and not opened again elsewhere
        if visit.role != "anonymous" and "/accounts/login/" in urlsplit(page.url).path:
            self.report(visit, url, "http", "sent to the sign-in page while signed in")
        self.result.timings["open"] += time.monotonic() - clock
        clock = time.monotonic()
        results = await page.evaluate(CHECKS_JS)
        await self._check_favicon(page, visit, url, results["favicon"])
        self.result.timings["check"] += time.monotonic() - clock
        clock = time.monotonic()
        target = (
            self.out
            / visit.role
            / f"{visit.language}-{visit.width}"
            / screenshot_name(visit.index, visit.path)
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(target), full_page=True, timeout=90_000)
        self.result.screenshots += 1
        self.result.timings["screenshot"] += time.monotonic() - clock
        for check, detail in problems:
            self.report(visit, url, check, detail)
        self._judge(visit, url, results)
        if not collect_links:
            return []
        hrefs = await page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map(link => link.getAttribute('href'))"
        )
        return [path for path in (self.local_path(page.url, href) for href in hrefs) if path]

    async def _check_favicon(self, page, visit: Visit, url: str, declared: str | None) -> None:
        icon = declared or f"{self.origin}/favicon.ico"
        key = (visit.role, visit.language, visit.width, icon)
        if key in self.checked_icons:
            return
        self.checked_icons.add(key)
        response = await page.context.request.get(icon, max_redirects=3)
        if response.status >= 400:
            how = "declared" if declared else "not declared; browsers ask for"
            self.report(visit, url, "asset", f"favicon {how} {icon}: HTTP {response.status}")

    def _judge(self, visit: Visit, url: str, results: dict) -> None:
        overflow = results["overflow"]
        if overflow["scrollWidth"] > overflow["clientWidth"] + 1:
            culprits = "; ".join(overflow["culprits"]) or "?"
            self.report(
                visit,
                url,
                "overflow",
                f"document {overflow['scrollWidth']}px wide in a {overflow['clientWidth']}px viewport: {culprits}",
            )
        squeezed = results["squeezed"]
        if squeezed:
            examples = "; ".join(
                f"「{cell['text']}」 {cell['lines']} lines of ≤{cell['widest']} (cell {cell['cellWidth']}px)"
                for cell in squeezed[:3]
            )
            self.report(visit, url, "squeezed-cell", f"{len(squeezed)} cells, e.g. {examples}")
        for date in results["rejectedDates"]:
            self.report(
                visit,
                url,
                "date-input",
                f'{date["type"]} {date["name"]} value="{date["value"]}" shows empty',
            )
        for image in results["brokenImages"]:
            self.report(visit, url, "broken-image", image)
        if visit.language == "en":
            leftovers = self.chinese_outside_data(results["hanTexts"])
            if leftovers:
                self.report(visit, url, "chinese-in-english", " | ".join(leftovers[:8]))

    def chinese_outside_data(self, texts: list[str]) -> list[str]:
        leftovers: list[str] = []
        for text in texts:
            # A masked person name ("何* 142****7534") is data too.
            text = MASKED_NAME.sub(" ", text)
            for name in self.data:
                if name in text:
                    text = text.replace(name, " ")
            for run in HAN_PHRASE.finditer(text):
                # A long run found inside stored text is data shortened for a list
                # ("本单位安全培训台账齐全，专家评估…"); UI strings are shorter than this.
                if len(run.group()) >= 8 and run.group() in self.all_data:
                    continue
                snippet = text[max(0, run.start() - 15) : run.end() + 15].strip()
                if snippet not in leftovers:
                    leftovers.append(snippet)
        return leftovers

    async def crawl_role(self, browser, role: str) -> None:
        state = None
        if role != "anonymous":
            try:
                async with self.slots:
                    state = await sign_in(browser, self.base, role)
            except Exception as error:  # noqa: BLE001 - the other roles' tours go on
                visit = Visit(role, self.languages[0], self.widths[0], "/accounts/login/", 0)
                self.report(
                    visit,
                    self.base + visit.path,
                    "sign-in",
                    f"{type(error).__name__}: {error}"[:300],
                )
                self.result.pages[role] = []
                return
        start = "/" if role == "anonymous" else "/dashboard/"
        first_language, first_width = self.languages[0], self.widths[0]
        order: list[str] = []
        seen_paths: set[str] = set()
        shapes: defaultdict[str, int] = defaultdict(int)
        others: list[asyncio.Task] = []

        def accept(path: str) -> bool:
            if path in seen_paths or len(order) >= self.max_pages:
                return False
            shape = url_shape(path)
            if shapes[shape] >= self.per_pattern or (
                role != "anonymous" and shape in self.public_shapes
            ):
                return False
            seen_paths.add(path)
            shapes[shape] += 1
            order.append(path)
            return True

        def visit_elsewhere(path: str, index: int) -> None:
            for language in self.languages:
                for width in self.widths:
                    if (language, width) != (first_language, first_width):
                        visit = Visit(role, language, width, path, index)
                        others.append(
                            asyncio.create_task(
                                self.visit(browser, visit, state, collect_links=False)
                            )
                        )

        if role != "anonymous":
            await self.public_known.wait()
        accept(start)
        level = [start]
        depth = 0
        while level and not (role in TWINS and depth > 1):
            depth += 1
            visits = [
                Visit(role, first_language, first_width, path, order.index(path)) for path in level
            ]
            found = await asyncio.gather(
                *(self.visit(browser, v, state, collect_links=True) for v in visits)
            )
            for visit, links in zip(visits, found, strict=True):
                if links is not None:
                    visit_elsewhere(visit.path, visit.index)
            level = [path for links in found if links for path in links if accept(path)]
        if role == "anonymous":
            self.public_shapes = set(shapes) - {url_shape("/accounts/password/change/")}
            self.public_known.set()
        await asyncio.gather(*others)
        self.result.pages[role] = order

    async def run(self) -> TourResult:
        from playwright.async_api import async_playwright

        started = time.monotonic()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                await asyncio.gather(*(self.crawl_role(browser, role) for role in self.roles))
            finally:
                await browser.close()
        self.result.seconds = time.monotonic() - started
        self.result.findings.sort(key=lambda f: (f.check, f.role, f.url, f.language, f.width))
        return self.result


def run_tour(base: str, *, data: list[str], roles=ROLES, languages=LANGUAGES, widths=tuple(WIDTHS), out=ARTIFACTS,
             max_pages: int = 60, per_pattern: int = 1, concurrency: int = 4) -> TourResult:  # fmt: skip
    """Run the whole tour (blocking); ``data`` is :func:`data_strings` read beforehand."""
    tour = Tour(
        base,
        roles=list(roles),
        languages=list(languages),
        widths=list(widths),
        data=data,
        out=Path(out),
        max_pages=max_pages,
        per_pattern=per_pattern,
        concurrency=concurrency,
    )
    for role in roles:  # screenshots of an earlier run would pass for this one's
        shutil.rmtree(Path(out) / role, ignore_errors=True)
    result = asyncio.run(tour.run())
    write_reports(result, Path(out))
    return result


def summarise(result: TourResult) -> str:
    """Identical findings (same check and detail) grouped, with where they were seen."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in result.findings:
        # Numbers (widths, counts, ids) differ between pages showing the same defect.
        groups[(finding.check, re.sub(r"\d+", "#", finding.detail))].append(finding)
    pages = sum(len(paths) for paths in result.pages.values())
    lines = [
        f"Tour: {len(result.pages)} roles, {pages} distinct pages, {result.screenshots} screenshots, "
        f"{len(result.findings)} findings ({len(groups)} distinct) in {result.seconds:.0f} s",
        "page time (summed over concurrent pages): "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result.timings.items()),
        "",
    ]
    for (check, _shape), found in sorted(groups.items()):
        lines.append(f"[{check}] {found[0].detail}")
        for finding in found[:4]:
            lines.append(f"    {finding.role} {finding.language} {finding.width}px {finding.url}")
        if len(found) > 4:
            lines.append(f"    … and {len(found) - 4} more")
    return "\n".join(lines) + "\n"


def write_reports(result: TourResult, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.txt").write_text(summarise(result), encoding="utf-8")
    document = {
        "seconds": round(result.seconds, 1),
        "screenshots": result.screenshots,
        "pages": result.pages,
        "findings": [asdict(finding) for finding in result.findings],
    }
    (out / "report.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--widths", default=",".join(map(str, WIDTHS)))
    parser.add_argument("--out", default=str(ARTIFACTS))
    parser.add_argument("--max-pages", type=int, default=60, help="per role")
    parser.add_argument("--per-pattern", type=int, default=1, help="URLs of one shape per role")
    parser.add_argument("--concurrency", type=int, default=4, help="pages open at once")
    parser.add_argument("--markdown", help="also write the grouped findings to this file")
    options = parser.parse_args()

    import os

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    django.setup()
    result = run_tour(
        options.base,
        data=data_strings(),
        roles=options.roles.split(","),
        languages=options.languages.split(","),
        widths=[int(width) for width in options.widths.split(",")],
        out=options.out,
        max_pages=options.max_pages,
        per_pattern=options.per_pattern,
        concurrency=options.concurrency,
    )
    text = summarise(result)
    print(text, end="")
    if options.markdown:
        Path(options.markdown).write_text(f"# Tour findings\n\n```\n{text}```\n", encoding="utf-8")
    return 1 if result.findings else 0


if __name__ == "__main__":
    sys.exit(main())
