"""CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and Excel exports of units."""

import csv
import io

from openpyxl import Workbook

from .importing import HEADERS


def unit_rows(units):
    for unit in units:
        yield [
            unit.name,
            unit.credit_code,
            unit.legal_representative,
            unit.address,
            unit.area.name,
            unit.industry.name,
            unit.supervising_department.short_name if unit.supervising_department else "",
            unit.contact_name,
            unit.contact_phone,
        ]


def export_csv(units) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(unit_rows(units))
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(units) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("单位名录")
    sheet.append(HEADERS)
    for row in unit_rows(units):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
