"""About 200 units across areas and industries, with valid credit codes."""

import random

from units.credit_code import make_credit_code
from units.models import Area, Industry, Unit

UNIT_COUNT = 200
DEMO_ENTERPRISE_SERIAL = 11  # a 建筑施工 unit: 住建 supervises it and also receives notices
# Name parts; some use characters outside GB2312 (堃 昇 喆 燊 珺) that registered names do use.
PREFIXES = ["新郑市", "郑州", "河南", "新郑"]
CORES = [
    "华信",
    "恒泰",
    "中原",
    "裕丰",
    "金堃",
    "昇达",
    "喆程",
    "鑫源",
    "宏远",
    "安泰",
    "永安",
    "瑞丰",
    "广源",
    "龙湖",
    "豫通",
    "燊海",
    "珺合",
    "天成",
    "博远",
    "嘉禾",
    "盛世",
    "利民",
]
KINDS = {
    "危险化学品": "化工",
    "烟花爆竹": "烟花爆竹",
    "非煤矿山": "矿业",
    "冶金": "钢铁",
    "有色": "铝业",
    "建材": "建材",
    "机械": "机械制造",
    "轻工": "包装",
    "纺织": "纺织",
    "烟草": "烟草物流",
    "商贸": "商贸",
    "建筑施工": "建筑工程",
    "道路运输": "运输",
    "特种设备使用": "电梯服务",
    "食品生产": "食品",
    "其他": "实业",
}
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华"


def demo_unit_name(serial: int, industry: str) -> str:
    rng = random.Random(serial)
    return f"{rng.choice(PREFIXES)}{rng.choice(CORES)}{KINDS[industry]}{SUFFIXES[serial % 3]}"


def run(out) -> None:
    areas = list(Area.objects.all())
    industries = list(Industry.objects.all())
    supervisors = {
        industry.pk: industry.departments.filter(is_supervising=True).first()
        for industry in industries
    }
    existing = set(Unit.objects.values_list("credit_code", flat=True))
    names = set(Unit.objects.values_list("name", flat=True))
    created = 0
    for serial in range(1, UNIT_COUNT + 1):
        code = make_credit_code(serial)
        if code in existing:
            continue
        rng = random.Random(serial)
        industry = industries[serial % len(industries)]
        name = demo_unit_name(serial, industry.name)
        if name in names:
            name = name.replace("公司", f"第{serial}分公司", 1)
        names.add(name)
        Unit.objects.create(
            name=name,
            credit_code=code,
            legal_representative=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            address=f"新郑市{areas[serial % len(areas)].name}{rng.randint(1, 300)}号",
            area=areas[serial % len(areas)],
            industry=industry,
            supervising_department=supervisors.get(industry.pk),
            contact_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            contact_phone=f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
            status=Unit.Status.APPROVED,
        )
        created += 1
    out(f"生产经营单位：新建{created}个，共{Unit.objects.count()}个 ✓")


def demo_enterprise_unit() -> Unit:
    return Unit.objects.get(credit_code=make_credit_code(DEMO_ENTERPRISE_SERIAL))
