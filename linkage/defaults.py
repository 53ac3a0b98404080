"""The default policy matrix (SPEC §4 table, seed section 八), loaded as version 1.

Every linked department is told of every result; the measure text says what applies to it,
its category, and the document and article it rests on (国办发〔2020〕49号: no joint measure
without a basis in a published document). Every default measure is one the municipal opinion
itself lists, so each cites its part and paragraph. Written against a model registry so the
data migrations and tests share it.
"""

from typing import NamedTuple

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


SEED = "《新郑市人民政府关于建立安全生产诚信联动机制的意见》（新政〔2010〕36号）"
# The paragraph of the seed's section 八 (or 七) each kind of measure comes from.
NOTIFIED = "第八部分第一段"  # results are reported to the linked departments
FOUR_STARS = "第八部分第二段"  # four stars: financial support and policy preference
FIVE_STARS = "第八部分第三段"  # five stars: as four, and recommended first for awards
NO_STAR = "第八部分第四段"  # no star: strict review; no higher-level awards
KEY_SUPERVISION = "第七部分第三段、第八部分第一段"  # rectified hazards end the key supervision


class Cell(NamedTuple):
    measure: str
    category: str
    basis_document: str
    basis_article: str


def default_matrix() -> dict[str, dict[str, Cell]]:
    """{result: {department short name: Cell}}."""
    matrix: dict[str, dict[str, Cell]] = {}
    for short in LINKED:
        supports = short in SUPPORTING
        four = Cell(SUPPORT, "incentive", SEED, FOUR_STARS) if supports else None
        matrix.setdefault("5", {})[short] = (
            Cell(f"{SUPPORT}{AWARDS}", "incentive", SEED, f"{FOUR_STARS}、第三段")
            if supports
            else Cell(AWARDS, "notice", SEED, FIVE_STARS)
        )
        matrix.setdefault("4", {})[short] = four or Cell(NOTICE_ONLY, "notice", SEED, NOTIFIED)
        matrix.setdefault("3", {})[short] = Cell(NOTICE_ONLY, "notice", SEED, NOTIFIED)
        matrix.setdefault("none", {})[short] = Cell(
            STRICT_BY_DEPARTMENT.get(short, STRICT), "restriction", SEED, NO_STAR
        )
        matrix.setdefault("revoked", {})[short] = Cell(REVOKED, "review", SEED, NOTIFIED)
        matrix.setdefault("lifted", {})[short] = Cell(LIFTED, "review", SEED, KEY_SUPERVISION)
    return matrix


def default_basis(result: str, short_name: str, measure: str) -> Cell:
    """The category and basis a cell of an existing matrix gets (migration 0003): the default
    cell's, with the category read from the text where the bureau changed the measure."""
    cell = default_matrix().get(result, {}).get(short_name)
    if cell is None:
        cell = default_matrix()[result][LINKED[0]]
    if measure != cell.measure and result in ("4", "5"):
        category = "notice" if measure in (NOTICE_ONLY, AWARDS) else "incentive"
        article = FIVE_STARS if result == "5" else FOUR_STARS
        return Cell(measure, category, SEED, article)
    return cell._replace(measure=measure)


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
    # Migration 0002 runs this against the matrix as it was before categories and bases
    # (0003 adds and fills them): write the fields the model at hand has.
    fields = {field.name for field in PolicyRule._meta.get_fields()}
    PolicyRule.objects.bulk_create(
        PolicyRule(
            version=version,
            result=result,
            department=departments[short],
            **{name: value for name, value in cell._asdict().items() if name in fields},
        )
        for result, row in default_matrix().items()
        for short, cell in row.items()
        if short in departments
    )
