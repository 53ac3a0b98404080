import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from units.credit_code import make_credit_code
from units.importing import HEADERS, import_units
from units.models import Unit

pytestmark = pytest.mark.django_db

GOOD_1 = [
    "新郑市甲乙机械有限公司",
    make_credit_code(5001),
    "王伟",
    "新郑市新华路8号",
    "新华路街道",
    "机械",
    "工业和信息化",
    "李娜",
    "13800000000",
]
GOOD_2 = [
    "新郑市堃昇建筑工程有限公司",
    make_credit_code(5002),
    "张喆",
    "新郑市龙湖镇1号",
    "龙湖镇",
    "建筑施工",
    "住建",
    "刘洋",
    "13900000000",
]


def csv_bytes(rows, encoding="utf-8"):
    lines = [",".join(HEADERS)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def test_good_csv_imports_every_row():
    result = import_units(csv_bytes([GOOD_1, GOOD_2]), "units.csv")
    assert result.errors == []
    assert result.imported == 2
    assert Unit.objects.get(credit_code=GOOD_2[1]).area.name == "龙湖镇"


def test_gbk_encoded_csv_is_read():
    result = import_units(csv_bytes([GOOD_1], encoding="gbk"), "units.csv")
    assert result.imported == 1
    assert Unit.objects.filter(name=GOOD_1[0]).exists()


def test_bad_rows_are_reported_with_row_field_and_reason_and_nothing_is_imported():
    bad_code = GOOD_2[:1] + [GOOD_2[1][:-1] + ("0" if GOOD_2[1][-1] != "0" else "1")] + GOOD_2[2:]
    unknown_area = [*GOOD_1[:4], "火星镇", *GOOD_1[5:]]
    unknown_area[1] = make_credit_code(5003)
    result = import_units(csv_bytes([GOOD_1, bad_code, unknown_area]), "units.csv")
    assert result.imported == 0
    assert Unit.objects.count() == 0
    messages = [str(error) for error in result.errors]
    assert any(m.startswith("第3行 统一社会信用代码") and "校验位" in m for m in messages)
    assert any(m.startswith("第4行 所属乡镇街道") and "火星镇" in m for m in messages)


def test_only_valid_rows_when_asked():
    duplicate = list(GOOD_1)
    duplicate[0] = "另一家公司"
    result = import_units(csv_bytes([GOOD_1, duplicate]), "units.csv", only_valid=True)
    assert result.imported == 1
    assert "与第2行重复" in str(result.errors[0])


def test_existing_code_is_refused():
    import_units(csv_bytes([GOOD_1]), "units.csv")
    result = import_units(csv_bytes([GOOD_1]), "units.csv")
    assert "已登记" in str(result.errors[0])
    assert Unit.objects.count() == 1


def test_missing_columns_and_wrong_format_are_clear():
    from units.importing import ImportFileError

    with pytest.raises(ImportFileError, match="缺少列"):
        import_units("单位名称\n某公司\n".encode(), "units.csv")
    with pytest.raises(ImportFileError, match=".csv 或 .xlsx"):
        import_units(b"MZ\x90\x00", "units.exe")
    with pytest.raises(ImportFileError, match="Excel"):
        import_units(b"not a zip", "units.xlsx")


def test_excel_import_and_template_round_trip(client_as):
    client = client_as("bureau")
    template = client.get("/units/import/template.xlsx")
    assert template.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]] == HEADERS
    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(GOOD_2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.name = "units.xlsx"
    buffer.seek(0)
    response = client.post("/units/import/", {"file": buffer})
    assert response.status_code == 200
    assert "已导入1个单位" in response.content.decode()


def test_import_page_shows_errors_and_imports_nothing(client_as, world):
    client = client_as("bureau")
    before = Unit.objects.count()
    upload = io.BytesIO(csv_bytes([GOOD_1, [*GOOD_1[:1], "123", *GOOD_1[2:]]]))
    upload.name = "units.csv"
    response = client.post("/units/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "未导入任何单位" in page and "应为18位" in page
    assert Unit.objects.count() == before


def test_oversized_import_file_is_refused(client_as, settings):
    settings.IMPORT_MAX_FILE_BYTES = 100
    upload = io.BytesIO(csv_bytes([GOOD_1, GOOD_2]))
    upload.name = "units.csv"
    response = client_as("bureau").post("/units/import/", {"file": upload})
    assert "文件过大" in response.content.decode()
    assert Unit.objects.filter(credit_code=GOOD_1[1]).count() == 0


def test_command_exits_non_zero_when_rows_are_bad(tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes([GOOD_1, [*GOOD_1[:1], "bad", *GOOD_1[2:]]]))
    with pytest.raises(CommandError, match="未导入任何单位"):
        call_command("import_units", str(path))
    assert Unit.objects.count() == 0
    call_command("import_units", str(path), "--only-valid")
    assert Unit.objects.count() == 1
