"""The reference data a new installation starts with (shared/DEFAULT-DATA.md).

Written against a model registry so the data migration and ``seed_demo`` share it.
"""

AREAS = [
    ("新建路街道", "street"),
    ("新华路街道", "street"),
    ("新烟街道", "street"),
    ("新村镇", "town"),
    ("辛店镇", "town"),
    ("观音寺镇", "town"),
    ("梨河镇", "town"),
    ("和庄镇", "town"),
    ("薛店镇", "town"),
    ("孟庄镇", "town"),
    ("郭店镇", "town"),
    ("龙湖镇", "town"),
    ("城关乡", "township"),
    ("八千乡", "township"),
    ("龙王乡", "township"),
]

INDUSTRIES = [
    "危险化学品",
    "烟花爆竹",
    "非煤矿山",
    "冶金",
    "有色",
    "建材",
    "机械",
    "轻工",
    "纺织",
    "烟草",
    "商贸",
    "建筑施工",
    "道路运输",
    "特种设备使用",
    "食品生产",
    "其他",
]

# (short name, full name, supervising, linked, industries supervised)
DEPARTMENTS = [
    ("发展改革", "市发展和改革委员会", False, True, []),
    ("公共资源交易", "市公共资源交易中心", False, True, []),
    ("工商", "市市场监督管理局（原市工商行政管理局）", False, True, []),
    ("规划城管", "市规划和城市管理局", False, True, []),
    ("住建", "市住房和城乡建设局", True, True, ["建筑施工", "建材"]),
    ("国土资源", "市国土资源局", False, True, ["非煤矿山"]),
    ("公安", "市公安局", False, True, ["烟花爆竹"]),
    ("财政", "市财政局", False, True, []),
    ("金融", "市金融工作办公室", False, True, []),
    ("保险", "保险行业监管及保险机构", False, True, []),
    ("交通运输", "市交通运输局", True, False, ["道路运输"]),
    ("商务", "市商务局", True, False, ["商贸"]),
    (
        "工业和信息化",
        "市工业和信息化局",
        True,
        False,
        ["冶金", "有色", "机械", "轻工", "纺织", "烟草", "危险化学品"],
    ),
    ("质量技术监督", "市质量技术监督局（特种设备）", True, False, ["特种设备使用"]),
    ("卫生", "市卫生健康委员会", True, False, ["食品生产"]),
]


def load_reference_data(apps) -> None:
    Area = apps.get_model("units", "Area")
    Industry = apps.get_model("units", "Industry")
    Department = apps.get_model("units", "Department")
    for order, (name, kind) in enumerate(AREAS):
        Area.objects.get_or_create(name=name, defaults={"kind": kind, "order": order})
    for order, name in enumerate(INDUSTRIES):
        Industry.objects.get_or_create(name=name, defaults={"order": order})
    for order, (short, full, supervising, linked, industries) in enumerate(DEPARTMENTS):
        department, created = Department.objects.get_or_create(
            short_name=short,
            defaults={
                "name": full,
                "is_supervising": supervising,
                "is_linked": linked,
                "order": order,
            },
        )
        if created:
            department.industries.set(Industry.objects.filter(name__in=industries))
