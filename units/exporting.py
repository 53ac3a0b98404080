"""CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and Excel exports of units."""

from portal.spreadsheets import add_sheet, csv_bytes, new_workbook, workbook_bytes

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
    return csv_bytes(HEADERS, unit_rows(units))


def export_xlsx(units) -> bytes:
    workbook = new_workbook()
    add_sheet(workbook, "单位名录", HEADERS, unit_rows(units))
    return workbook_bytes(workbook)
