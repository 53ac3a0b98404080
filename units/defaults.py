"""The reference data a new installation starts with (shared/DEFAULT-DATA.md).

Written against a model registry so the data migration and ``seed_demo`` share it.
Industry and department names are marked for the catalogue (``gettext_noop``): they are stored in
Chinese, and shown through gettext so the English UI reads them in English (decision 0072).
"""

from django.utils.translation import gettext_noop

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
    gettext_noop("危险化学品"),
    gettext_noop("烟花爆竹"),
    gettext_noop("非煤矿山"),
    gettext_noop("冶金"),
    gettext_noop("有色"),
    gettext_noop("建材"),
    gettext_noop("机械"),
    gettext_noop("轻工"),
    gettext_noop("纺织"),
    gettext_noop("烟草"),
    gettext_noop("商贸"),
    gettext_noop("建筑施工"),
    gettext_noop("道路运输"),
    gettext_noop("特种设备使用"),
    gettext_noop("食品生产"),
    gettext_noop("其他"),
]

# (short name, full name, supervising, linked, industries supervised)
DEPARTMENTS = [
    ("发展改革", gettext_noop("市发展和改革委员会"), False, True, []),
    ("公共资源交易", gettext_noop("市公共资源交易中心"), False, True, []),
    ("工商", gettext_noop("市市场监督管理局（原市工商行政管理局）"), False, True, []),
    ("规划城管", gettext_noop("市规划和城市管理局"), False, True, []),
    ("住建", gettext_noop("市住房和城乡建设局"), True, True, ["建筑施工", "建材"]),
    ("国土资源", gettext_noop("市国土资源局"), False, True, ["非煤矿山"]),
    ("公安", gettext_noop("市公安局"), False, True, ["烟花爆竹"]),
    ("财政", gettext_noop("市财政局"), False, True, []),
    ("金融", gettext_noop("市金融工作办公室"), False, True, []),
    ("保险", gettext_noop("保险行业监管及保险机构"), False, True, []),
    ("交通运输", gettext_noop("市交通运输局"), True, False, ["道路运输"]),
    ("商务", gettext_noop("市商务局"), True, False, ["商贸"]),
    (
        "工业和信息化",
        gettext_noop("市工业和信息化局"),
        True,
        False,
        ["冶金", "有色", "机械", "轻工", "纺织", "烟草", "危险化学品"],
    ),
    ("质量技术监督", gettext_noop("市质量技术监督局（特种设备）"), True, False, ["特种设备使用"]),
    ("卫生", gettext_noop("市卫生健康委员会"), True, False, ["食品生产"]),
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
