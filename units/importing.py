"""Import units from CSV (UTF-8 or GBK) or Excel. All or nothing, unless the caller asks for
the good rows only; every bad row is reported with its row number, field and reason."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from portal.text import has_control_characters

from .credit_code import normalize, validate_credit_code
from .models import Area, Department, Industry, Unit

COLUMNS = [
    ("name", "单位名称"),
    ("credit_code", "统一社会信用代码"),
    ("legal_representative", "法定代表人"),
    ("address", "地址"),
    ("area", "所属乡镇街道"),
    ("industry", "行业"),
    ("supervising_department", "主管部门"),
    ("contact_name", "联系人"),
    ("contact_phone", "联系电话"),
]
HEADERS = [header for _field, header in COLUMNS]
REQUIRED = {
    "name",
    "credit_code",
    "legal_representative",
    "address",
    "area",
    "industry",
    "contact_name",
    "contact_phone",
}
MAX_LENGTHS = {
    "name": 200,
    "legal_representative": 50,
    "address": 200,
    "contact_name": 50,
    "contact_phone": 30,
}
MAX_ROWS = 20000


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def __str__(self):
        return _("第%(row)d行 %(field)s：%(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ImportResult:
    total_rows: int = 0
    valid: list[Unit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})


def read_rows(content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Rows as (row number as the user sees it, {header: value})."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return _read_excel(content)
    if filename.lower().endswith(".csv"):
        return _read_csv(content)
    raise ImportFileError(_("只支持 .csv 或 .xlsx 文件。"))


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV。"))


def _read_csv(content: bytes) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    return _rows_with_headers(reader)


def _read_excel(content: bytes) -> list[tuple[int, dict[str, str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFileError(_("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式。")) from error
    sheet = workbook.worksheets[0]
    values = (
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    )
    return _rows_with_headers(values)


def _rows_with_headers(rows) -> list[tuple[int, dict[str, str]]]:
    iterator = iter(rows)
    try:
        header = [cell.strip() for cell in next(iterator)]
    except StopIteration as error:
        raise ImportFileError(_("文件为空。")) from error
    missing = [name for name in HEADERS if name not in header]
    if missing:
        raise ImportFileError(
            _("缺少列：%(columns)s。请使用导入模板。") % {"columns": "、".join(missing)}
        )
    result = []
    for number, row in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(result) >= MAX_ROWS:
            raise ImportFileError(_("一次最多导入%(n)d行。") % {"n": MAX_ROWS})
        padded = list(row) + [""] * (len(header) - len(row))
        result.append((number, {name: padded[index].strip() for index, name in enumerate(header)}))
    return result


def validate_rows(rows: list[tuple[int, dict[str, str]]]) -> ImportResult:
    areas = {area.name: area for area in Area.objects.all()}
    industries = {industry.name: industry for industry in Industry.objects.all()}
    departments = {}
    for department in Department.objects.all():
        departments[department.name] = department
        departments[department.short_name] = department
    existing = set(Unit.objects.values_list("credit_code", flat=True))
    seen_in_file: dict[str, int] = {}
    result = ImportResult(total_rows=len(rows))

    for number, raw in rows:
        values = {field_name: raw.get(header, "") for field_name, header in COLUMNS}
        errors = []

        def bad(field_name, message, number=number, errors=errors):
            errors.append(RowError(number, dict(COLUMNS)[field_name], message))

        for field_name in REQUIRED:
            if not values[field_name]:
                bad(field_name, _("不能为空"))
        for field_name, limit in MAX_LENGTHS.items():
            if len(values[field_name]) > limit:
                bad(field_name, _("超过%(n)d个字符") % {"n": limit})
        for field_name, value in values.items():
            if has_control_characters(value):
                bad(field_name, _("不能包含换行、制表符等控制字符"))
        code = normalize(values["credit_code"])
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as error:
                bad("credit_code", error.messages[0])
            else:
                if code in existing:
                    bad("credit_code", _("该统一社会信用代码已登记"))
                elif code in seen_in_file:
                    bad("credit_code", _("与第%(row)d行重复") % {"row": seen_in_file[code]})
                seen_in_file.setdefault(code, number)
        area = areas.get(values["area"])
        if values["area"] and area is None:
            bad("area", _("未知的乡镇街道“%(name)s”") % {"name": values["area"]})
        industry = industries.get(values["industry"])
        if values["industry"] and industry is None:
            bad("industry", _("未知的行业“%(name)s”") % {"name": values["industry"]})
        department = departments.get(values["supervising_department"])
        if values["supervising_department"] and department is None:
            bad(
                "supervising_department",
                _("未知的主管部门“%(name)s”") % {"name": values["supervising_department"]},
            )
        if errors:
            result.errors.extend(errors)
            continue
        result.valid.append(
            Unit(
                name=values["name"],
                credit_code=code,
                legal_representative=values["legal_representative"],
                address=values["address"],
                area=area,
                industry=industry,
                supervising_department=department,
                contact_name=values["contact_name"],
                contact_phone=values["contact_phone"],
                status=Unit.Status.APPROVED,
            )
        )
    return result


def import_units(content: bytes, filename: str, *, only_valid: bool = False) -> ImportResult:
    """Validate every row; save all rows, or none when any row is bad (unless ``only_valid``)."""
    result = validate_rows(read_rows(content, filename))
    if result.errors and not only_valid:
        return result
    with transaction.atomic():
        for unit in result.valid:
            unit.save()
    result.imported = len(result.valid)
    return result


def template_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "单位名录"
    sheet.append(HEADERS)
    sheet.append(
        [
            "新郑市示例机械制造有限公司",
            "91410184MA00000000",
            "张三",
            "新郑市新建路1号",
            "新建路街道",
            "机械",
            "",
            "李四",
            "0371-62600000",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
