"""The default policy matrix (SPEC §4 table, seed section 八), loaded as version 1.

Every linked department is told of every result; the measure text says what applies to it.
Written against a model registry so the data migration and tests share it.
"""

LINKED = [
    "发展改革",
    "公共资源交易",
    "工商",
    "规划城管",
    "住建",
    "国土资源",
    "公安",
    "财政",
    "金融",
    "保险",
]
SUPPORTING = {"财政", "金融", "保险", "规划城管", "住建", "发展改革", "国土资源"}

SUPPORT = "在资金扶持、政策优惠等方面给予支持。"
NOTICE_ONLY = "仅作通报，不附加措施。"
AWARDS = "市安全生产监管局优先推荐参加上级评先评优。"
STRICT = (
    "对新上项目审批、核准、备案，土地使用，证券融资，银行贷款，以及地方性优惠政策等严格审查；"
    "不得参加上级评先评优。"
)
STRICT_BY_DEPARTMENT = {
    "发展改革": "对新上项目的审批、核准、备案及地方性优惠政策严格审查；不得参加上级评先评优。",
    "国土资源": "对土地使用严格审查；不得参加上级评先评优。",
    "金融": "对证券融资、银行贷款严格审查；不得参加上级评先评优。",
}
REVOKED = "该单位评级结果已撤销，依据原结果采取的激励或限制措施请予复核。"
LIFTED = "该单位已通过整改验收，市安全生产监管局解除其重点监控状态，请复核并解除相应限制措施。"


def default_matrix() -> dict[str, dict[str, str]]:
    """{result: {department short name: measure}}."""
    matrix: dict[str, dict[str, str]] = {}
    for short in LINKED:
        four = SUPPORT if short in SUPPORTING else NOTICE_ONLY
        matrix.setdefault("5", {})[short] = f"{four}{AWARDS}" if short in SUPPORTING else AWARDS
        matrix.setdefault("4", {})[short] = four
        matrix.setdefault("3", {})[short] = NOTICE_ONLY
        matrix.setdefault("none", {})[short] = STRICT_BY_DEPARTMENT.get(short, STRICT)
        matrix.setdefault("revoked", {})[short] = REVOKED
        matrix.setdefault("lifted", {})[short] = LIFTED
    return matrix


def load_default_policy(apps) -> None:
    Department = apps.get_model("units", "Department")
    PolicyVersion = apps.get_model("linkage", "PolicyVersion")
    PolicyRule = apps.get_model("linkage", "PolicyRule")
    DepartmentLink = apps.get_model("linkage", "DepartmentLink")
    for department in Department.objects.filter(is_linked=True):
        DepartmentLink.objects.get_or_create(department=department)
    if PolicyVersion.objects.exists():
        return
    version = PolicyVersion.objects.create(number=1, note="默认矩阵（新政〔2010〕36号 第八条）")
    departments = {d.short_name: d for d in Department.objects.filter(short_name__in=LINKED)}
    PolicyRule.objects.bulk_create(
        PolicyRule(version=version, result=result, department=departments[short], measure=text)
        for result, row in default_matrix().items()
        for short, text in row.items()
        if short in departments
    )
