"""City-scale demo and benchmark data: ``seed_bulk --units N --cycles K``.

N approved units with valid credit codes spread over every area and industry, K closed cycles
before the current year, each with published applications, ratings (some revoked) and
certificates for starred units. Rows go in with PostgreSQL COPY in one transaction; every
column of every model is filled from the model's own defaults unless set here, so a field
added later with a default does not break the command.

Province scale (1,000,000 units × 5 cycles) is a bulk load: inside the transaction the four
tables lose their secondary indexes, unique and foreign-key constraints (each kept as its own
``pg_get_indexdef`` / ``pg_get_constraintdef``) and the rating supersede trigger, rows are
generated and COPYed in chunks, and everything is rebuilt set-based before commit (one index
build and one validating join per constraint instead of a GIN insert, a trigger and six
foreign-key checks per row). ``Rating.superseded_on`` is what the trigger would have written:
cycles are generated newest first, so each unit's next later result is known when its older one
is written. ``VACUUM ANALYZE`` at the end. Timings: docs/benchmarks/public-cold-province.md;
decision 0053.
"""

import datetime
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from assessments.models import Application, Cycle, ScoringStandard, Status
from assessments.stars import round_score, star_for
from portal.models import Role, User
from portal.name_search import bigrams
from public.cache import bump
from ratings.models import Certificate, Rating
from ratings.services.certificates import certificate_number, new_verification_code
from units.credit_code import make_credit_code
from units.models import Area, Department, Industry, Unit

PREFIXES = [("新郑市", 40), ("河南", 14), ("郑州", 10), ("河南省", 6), ("", 30)]
BRAND_CHARS = (
    "鑫源华安恒泰宏盛达兴隆瑞祥金鼎润丰通嘉诚信远辉腾龙凯博力中豫新创卓越永康宇天成顺发昌荣"
    "和佳明德振汇众晟亿联海峰威正茂森捷泽轩辕溱洧黄帝嵩岳郑韩具茨始祖龙湖薛店梨河"
)
INDUSTRY_WORDS = {
    "危险化学品": ["化工", "化学", "精细化工", "化学品"],
    "烟花爆竹": ["烟花爆竹", "烟花"],
    "非煤矿山": ["矿业", "石料", "砂石"],
    "冶金": ["冶金", "钢铁", "铸造"],
    "有色": ["铝业", "有色金属", "铜业"],
    "建材": ["建材", "水泥", "新型建材", "陶瓷"],
    "机械": ["机械", "机械制造", "重工", "机电"],
    "轻工": ["纸业", "包装", "家具", "塑料制品"],
    "纺织": ["纺织", "服装", "棉业"],
    "烟草": ["烟草", "卷烟"],
    "商贸": ["商贸", "商业", "超市", "百货"],
    "建筑施工": ["建筑工程", "建设工程", "建筑安装"],
    "道路运输": ["运输", "物流", "汽车运输"],
    "特种设备使用": ["电梯", "锅炉", "起重设备"],
    "食品生产": ["食品", "枣业", "面业", "饮品"],
}
OTHER_WORDS = ["科技", "实业", "服务"]
SUFFIXES = [
    ("有限公司", 50),
    ("有限责任公司", 20),
    ("股份有限公司", 8),
    ("厂", 10),
    ("经营部", 5),
    ("有限公司新郑分公司", 7),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯于董萧程曹袁邓许傅沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红宏亮鹏飞"
ROADS = ["人民路", "中华路", "轩辕路", "新华路", "文化路", "金城路", "郑韩路", "新烟路", "学院路"]
DIVISIONS = [("410184", 85), ("410100", 8), ("410181", 4), ("410183", 3)]
REVOCATION_REASONS = [
    "发生生产安全责任死亡事故，依据否决项撤销评级结果。",
    "经核查申报材料存在弄虚作假。",
    "因非法、违法生产经营行为受到行政处罚。",
    "重大事故隐患未按期整改到位。",
]
REVOKED_SHARE = 0.005
PARTICIPATION = 0.85
VETO_SHARE = 0.03
CHUNK = 50_000
# Generated set-based by the load itself; rebuilt by the trigger's own rule here instead.
SUPERSEDE_TRIGGER = "ratings_rating_supersede"


def weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def next_ids(table: str, count: int) -> list[int]:
    """Reserve ``count`` ids from the table's sequence, so rows can reference each other."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def chunks(rows: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def copy_rows(model, rows: Iterable[dict]) -> int:
    """COPY rows into the model's table; unset columns take the model field's default."""
    fields = model._meta.concrete_fields
    now = timezone.now()
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        else:
            defaults[field.attname] = field.get_default()
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(
                [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
            )
            count += 1
    return count


# Secondary indexes, and unique constraints no foreign key depends on, of one table.
_INDEXES_SQL = """
SELECT 'index', index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid)
  FROM pg_index AS index
 WHERE index.indrelid = %(table)s::regclass AND NOT index.indisprimary
   AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = index.indexrelid)
UNION ALL
SELECT 'constraint', c.conname, pg_get_constraintdef(c.oid)
  FROM pg_constraint AS c
 WHERE c.conrelid = %(table)s::regclass
   AND (c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (
        SELECT 1 FROM pg_constraint AS f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
"""


@contextmanager
def bulk_load(models) -> Iterator[None]:
    """Inside a transaction: drop the tables' secondary indexes, unique and foreign-key
    constraints and the supersede trigger; recreate them (validating every constraint over all
    rows, old and new) when the block ends. Rows are checked once, set-based, before commit."""
    quote = connection.ops.quote_name
    dropped: list[tuple[str, str, str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for model in models:
            table = model._meta.db_table
            cursor.execute(_INDEXES_SQL, {"table": table})
            for kind, name, definition in cursor.fetchall():
                dropped.append((table, kind, name, definition))
        for table, kind, name, _definition in dropped:
            if kind == "constraint":
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            else:
                cursor.execute(f"DROP INDEX {name}")
        rating_table = quote(Rating._meta.db_table)
        cursor.execute(f"ALTER TABLE {rating_table} DISABLE TRIGGER {SUPERSEDE_TRIGGER}")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {rating_table} ENABLE TRIGGER {SUPERSEDE_TRIGGER}")
        for table, kind, name, definition in dropped:
            if kind == "index":
                cursor.execute(definition)
            else:
                cursor.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )


class Command(BaseCommand):
    help = "Create N units and K cycles of published ratings, certificates and revocations."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=1000)
        parser.add_argument("--cycles", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2010, help="random seed (reproducible)")
        parser.add_argument(
            "--revoked-share", type=float, default=REVOKED_SHARE, help="share of ratings revoked"
        )

    def handle(self, *args, units: int, cycles: int, seed: int, revoked_share: float, **options):
        if units < 1 or not 1 <= cycles <= 20:
            raise CommandError("--units must be at least 1 and --cycles between 1 and 20.")
        self.rng = random.Random(seed)
        self.revoked_share = revoked_share
        started = time.monotonic()
        with transaction.atomic(), bulk_load([Unit, Application, Rating, Certificate]):
            unit_ids = self.load_units(units)
            self.say(f"{len(unit_ids)} units", started)
            totals = {"ratings": 0, "certificates": 0, "revoked": 0}
            # Newest first: a unit's next later result is known when its older one is written.
            later: dict[int, datetime.date] = {}
            for cycle in reversed(self.make_cycles(cycles)):
                counts = self.publish_cycle(cycle, unit_ids, later)
                for key in totals:
                    totals[key] += counts[key]
                self.say(f"{cycle.name}: {counts['ratings']} ratings", started)
            self.say("rows written; rebuilding indexes and constraints", started)
        self.say("indexes and constraints rebuilt, committed", started)
        # Written without the publication signals: the public pages' cache must know.
        bump()
        # VACUUM sets the visibility map, so index-only scans skip the heap from the start; it
        # cannot run inside a transaction (a test's), where ANALYZE alone does.
        analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Unit, Application, Rating, Certificate):
                cursor.execute(f"{analyze} {connection.ops.quote_name(model._meta.db_table)}")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_bulk: {len(unit_ids)} units, {cycles} cycles, {totals['ratings']} ratings "
                f"({totals['revoked']} revoked), {totals['certificates']} certificates "
                f"in {time.monotonic() - started:.1f} s"
            )
        )

    def say(self, text: str, started: float) -> None:
        self.stdout.write(f"  {text} ({time.monotonic() - started:.1f} s)")

    # --- units ------------------------------------------------------------------------------

    def unit_name(self, industry: Industry) -> str:
        rng = self.rng
        brand = "".join(rng.sample(BRAND_CHARS, 2))
        word = rng.choice(INDUSTRY_WORDS.get(industry.name, OTHER_WORDS))
        return f"{weighted(rng, PREFIXES)}{brand}{word}{weighted(rng, SUFFIXES)}"

    def load_units(self, count: int) -> list[int]:
        ids = next_ids(Unit._meta.db_table, count)
        for chunk in chunks(self.make_units(ids)):
            copy_rows(Unit, chunk)
        return ids

    def make_units(self, ids: list[int]) -> Iterator[dict]:
        rng = self.rng
        areas = list(Area.objects.all())
        industries = list(Industry.objects.all())
        if not areas or not industries:
            raise CommandError("No areas or industries: run migrate (reference data) first.")
        regulators: dict[int, int] = {}
        for department in Department.objects.filter(is_supervising=True).prefetch_related(
            "industries"
        ):
            for industry in department.industries.all():
                regulators.setdefault(industry.pk, department.pk)
        taken_codes = set(Unit.objects.values_list("credit_code", flat=True))
        taken_names = set(Unit.objects.values_list("name", flat=True))
        now = timezone.now()
        serial = 7_000_000 + rng.randrange(1_000_000)
        for index, pk in enumerate(ids):
            # Round-robin first, so that every area and industry is present even for small N.
            area = areas[index % len(areas)] if index < len(areas) else rng.choice(areas)
            industry = (
                industries[index % len(industries)]
                if index < len(industries)
                else rng.choice(industries)
            )
            name = self.unit_name(industry)
            while name in taken_names:
                name = self.unit_name(industry)
            taken_names.add(name)
            code = make_credit_code(serial, division=weighted(rng, DIVISIONS))
            while code in taken_codes:
                serial += 1
                code = make_credit_code(serial, division=weighted(rng, DIVISIONS))
            taken_codes.add(code)
            serial += 1 + rng.randrange(50)
            yield {
                "id": pk,
                "name": name,
                "name_bigrams": bigrams(name),
                "credit_code": code,
                "legal_representative": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)),
                "address": f"新郑市{area.name}{rng.choice(ROADS)}{rng.randrange(1, 999)}号",
                "area_id": area.pk,
                "industry_id": industry.pk,
                "supervising_department_id": regulators.get(industry.pk),
                "contact_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "contact_phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
                "status": Unit.Status.APPROVED,
                "reviewed_at": now,
                "created_at": now,
                "updated_at": now,
            }

    # --- cycles and publications ------------------------------------------------------------

    def make_cycles(self, count: int) -> list[Cycle]:
        this_year = timezone.localdate().year
        standard = ScoringStandard.objects.order_by("pk").first()
        cycles = []
        for year in range(this_year - count, this_year):
            cycle, _created = Cycle.objects.get_or_create(
                year=year,
                defaults={
                    "name": f"{year}年度",
                    "standard": standard,
                    "phase": Cycle.Phase.CLOSED,
                    "is_open": False,
                    "pledge_deadline": datetime.date(year, 3, 31),
                    "application_deadline": datetime.date(year, 6, 30),
                    "comment_start": datetime.date(year, 10, 8),
                    "comment_end": datetime.date(year, 10, 22),
                },
            )
            cycles.append(cycle)
        return cycles

    def publisher(self) -> User:
        user, _created = User.objects.get_or_create(
            username="bulk-bureau",
            defaults={"role": Role.BUREAU, "display_name": "市安全生产监管局（批量数据）"},
        )
        return user

    def score(self) -> Decimal:
        value = min(100.0, max(40.0, self.rng.gauss(86, 7)))
        return round_score(Decimal(str(round(value, 1))))

    def publish_cycle(self, cycle: Cycle, unit_ids: list[int], later: dict) -> dict:
        """Write one closed cycle's results; ``later`` maps a unit to the publication date of
        its next later result (filled newest cycle first) and is updated with this one."""
        rng = self.rng
        published_on = datetime.date(cycle.year, 11, 20)
        participants = [pk for pk in unit_ids if rng.random() < PARTICIPATION]
        application_ids = next_ids(Application._meta.db_table, len(participants))
        rating_ids = next_ids(Rating._meta.db_table, len(participants))
        self.taken_numbers = set(
            Certificate.objects.filter(number__startswith=f"新安诚证〔{cycle.year}〕").values_list(
                "number", flat=True
            )
        )
        self.sequence = 0
        counts = {"ratings": 0, "certificates": 0, "revoked": 0}
        rows = zip(participants, application_ids, rating_ids, strict=True)
        for chunk in chunks(rows):
            applications, ratings, certificates = self.cycle_rows(cycle, chunk, later, counts)
            for row, pk in zip(
                certificates, next_ids(Certificate._meta.db_table, len(certificates)), strict=True
            ):
                row["id"] = pk
            copy_rows(Application, applications)
            counts["ratings"] += copy_rows(Rating, ratings)
            counts["certificates"] += copy_rows(Certificate, certificates)
        for pk in participants:
            later[pk] = published_on
        return counts

    def cycle_rows(self, cycle: Cycle, chunk: list, later: dict, counts: dict):
        rng = self.rng
        year = cycle.year
        tz = timezone.get_current_timezone()
        published_on = datetime.date(year, 11, 20)
        published_at = datetime.datetime(year, 11, 20, 9, 30, tzinfo=tz)
        today = timezone.localdate()
        publisher = self.publisher()
        applications, ratings, certificates = [], [], []
        for unit_id, application_id, rating_id in chunk:
            score = self.score()
            veto = rng.random() < VETO_SHARE
            star = star_for(score, veto)
            self_score = min(
                Decimal(100), max(Decimal(0), score + Decimal(rng.randrange(-40, 140)) / 10)
            )
            is_revoked = rng.random() < self.revoked_share
            revoked_at = None
            if is_revoked:
                counts["revoked"] += 1
                latest = min(today, published_on + datetime.timedelta(days=300))
                span = max(1, (latest - published_on).days)
                revoked_day = published_on + datetime.timedelta(days=rng.randrange(1, span + 1))
                revoked_at = datetime.datetime.combine(revoked_day, datetime.time(10), tz)
            applications.append(
                {
                    "id": application_id,
                    "cycle_id": cycle.pk,
                    "unit_id": unit_id,
                    "status": Status.REVOKED if is_revoked else Status.PUBLISHED,
                    "self_report": "本单位按照评分标准逐项开展自查自评。",
                    "self_score_total": self_score,
                    "submitted_at": datetime.datetime(
                        year, 6, 1 + rng.randrange(29), 10, tzinfo=tz
                    ),
                    "receipt_number": f"XZSL-{year}-{application_id:07d}",
                    "accepted_at": datetime.datetime(year, 7, 1 + rng.randrange(30), 10, tzinfo=tz),
                    "preliminary_score": score,
                    "comprehensive_score": score,
                    "has_veto": veto,
                    "star": star,
                    "gap_flagged": abs(self_score - score) >= cycle.gap_threshold,
                    "evaluated_at": datetime.datetime(
                        year, 9, 1 + rng.randrange(29), 10, tzinfo=tz
                    ),
                    "graded_at": datetime.datetime(year, 10, 1 + rng.randrange(6), 10, tzinfo=tz),
                    "created_at": datetime.datetime(year, 4, 1 + rng.randrange(29), 10, tzinfo=tz),
                    "updated_at": revoked_at or published_at,
                }
            )
            ratings.append(
                {
                    "id": rating_id,
                    "application_id": application_id,
                    "unit_id": unit_id,
                    "cycle_id": cycle.pk,
                    "star": star,
                    "comprehensive_score": score,
                    "has_veto": veto,
                    "published_on": published_on,
                    "published_by_id": publisher.pk,
                    "revoked_at": revoked_at,
                    "revoked_by_id": publisher.pk if is_revoked else None,
                    "revocation_reason": rng.choice(REVOCATION_REASONS) if is_revoked else "",
                    # What the supersede trigger writes: the date of the next later result.
                    "superseded_on": later.get(unit_id),
                    "created_at": published_at,
                }
            )
            if star:
                self.sequence += 1
                number = certificate_number(year, self.sequence)
                while number in self.taken_numbers:
                    self.sequence += 1
                    number = certificate_number(year, self.sequence)
                certificates.append(
                    {
                        "rating_id": rating_id,
                        "number": number,
                        "verification_code": new_verification_code(),
                        "issued_on": published_on,
                        "valid_until": datetime.date(year + 1, 12, 31),
                        # As publication does: a later result replaces the certificate.
                        "superseded_on": later.get(unit_id),
                        "created_at": published_at,
                    }
                )
        return applications, ratings, certificates
