"""The default scoring standard (《安全生产诚信评估评分标准》 v1), from shared/DEFAULT-DATA.md,
following the five areas of the seed's section 四. Maxima add up to 100."""

CATEGORIES = [
    (
        "1",
        "制度建设",
        [
            ("1.1", "依据法律、法规、规章和行业标准建立健全安全生产规章制度", "5"),
            ("1.2", "安全操作规程覆盖全部岗位和设备", "4"),
            ("1.3", "重点环节、重点岗位有专门的安全管理制度", "4"),
            ("1.4", "制度覆盖生产、经营、储存、运输等生产经营全过程", "4"),
            ("1.5", "制度定期评审、修订并留有记录", "3"),
        ],
    ),
    (
        "2",
        "组织建设",
        [
            ("2.1", "设置安全生产管理机构", "4"),
            ("2.2", "按规定配备专兼职安全员", "4"),
            ("2.3", "安全管理网络健全", "3"),
            ("2.4", "安全生产责任制落实到各层级、各岗位", "4"),
            ("2.5", "建立投资人与管理层安全生产互动责任机制", "2"),
            ("2.6", "定期召开安全生产例会，研究解决安全问题并有记录", "3"),
        ],
    ),
    (
        "3",
        "文化建设",
        [
            ("3.1", "全员安全生产教育培训，内容、时间和效果符合规定", "5"),
            ("3.2", "特种作业人员持证上岗并按规定接受再教育培训", "5"),
            ("3.3", "建立并落实从业人员参加安全生产监督管理的制度", "3"),
            ("3.4", "组织开展各类安全生产活动", "4"),
            ("3.5", "安全文化建设与安全管理创新", "3"),
        ],
    ),
    (
        "4",
        "安全保障",
        [
            ("4.1", "按规定提取安全生产费用", "4"),
            ("4.2", "安全生产费用专户存储、专项使用", "3"),
            ("4.3", "依法制定生产安全事故应急预案", "4"),
            ("4.4", "定期组织应急演练", "3"),
            ("4.5", "依法为从业人员办理社会保险", "4"),
            ("4.6", "建立职工职业健康档案，加强职业卫生管理", "4"),
            ("4.7", "建设项目安全设施执行“三同时”制度", "4"),
            ("4.8", "按要求足额存储安全生产风险抵押金", "4"),
        ],
    ),
    (
        "5",
        "监督管理",
        [
            ("5.1", "建立本单位安全生产诚信档案并及时更新", "3"),
            ("5.2", "事故隐患排查治理制度和台账，隐患按期整改", "4"),
            ("5.3", "接受监督检查，发现问题按期整改", "3"),
        ],
    ),
]

# What an evaluator expects to see, per category (default; the bureau edits it per item).
EVIDENCE_BY_CATEGORY = {
    "1": "规章制度汇编、操作规程、制度评审修订记录",
    "2": "机构设置文件、安全员任命文件及证书、责任制文本及签订记录、例会记录",
    "3": "培训计划、培训记录及考核结果、特种作业人员证书台账、安全活动记录",
    "4": "安全费用提取使用台账及专户证明、应急预案及演练记录、社保缴费证明、职业健康档案、三同时资料、风险抵押金存储凭证",
    "5": "诚信档案、隐患排查治理台账、监督检查及整改记录",
}
GUIDANCE = "查阅资料并现场核查；全部符合得满分，部分符合按缺项比例扣分，未开展不得分。"

VETOES = [
    ("V1", "考核周期内发生生产安全责任死亡事故"),
    ("V2", "考核周期内因非法、违法生产经营行为受到行政处罚"),
    ("V3", "迟报、漏报、谎报或者瞒报生产安全事故"),
    ("V4", "申报材料弄虚作假"),
    ("V5", "重大事故隐患未按期整改到位"),
    ("V6", "未依法取得安全生产行政许可从事生产经营活动"),
]

STANDARD_NAME = "安全生产诚信评估评分标准"
STANDARD_VERSION = "v1"


def load_default_standard(apps):
    """Create the default standard version once; return it."""
    from decimal import Decimal

    ScoringStandard = apps.get_model("assessments", "ScoringStandard")
    StandardCategory = apps.get_model("assessments", "StandardCategory")
    StandardItem = apps.get_model("assessments", "StandardItem")
    VetoItem = apps.get_model("assessments", "VetoItem")
    standard, created = ScoringStandard.objects.get_or_create(
        name=STANDARD_NAME, version=STANDARD_VERSION
    )
    if not created:
        return standard
    for category_order, (code, name, items) in enumerate(CATEGORIES):
        category = StandardCategory.objects.create(
            standard=standard, code=code, name=name, order=category_order
        )
        for item_order, (item_code, text, max_points) in enumerate(items):
            StandardItem.objects.create(
                category=category,
                code=item_code,
                text=text,
                max_points=Decimal(max_points),
                guidance=GUIDANCE,
                evidence_expected=EVIDENCE_BY_CATEGORY[code],
                order=item_order,
            )
    for order, (code, text) in enumerate(VETOES):
        VetoItem.objects.create(standard=standard, code=code, text=text, order=order)
    return standard
