"""《新郑市生产经营单位安全生产诚信评估报告》: rendered in the shipped font, with the unit,
the item table, each expert's scores, the veto items, the preliminary score and its star."""

import re
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from assessments.models import VetoItem
from tests.evaluation_support import accepted_application, assign, sign

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def reported(world):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau, self_total=Decimal("96.0"))
    first, second = assign(application, bureau, world.users["expert"], world.users["expert_other"])
    sign(first, "85.0", finding="台账记录不全")
    sign(second, "84.9")
    application.refresh_from_db()
    return application


def poppler(*args) -> str:
    if shutil.which(args[0]) is None:
        pytest.skip("poppler-utils missing")
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_report_pdf_in_the_shipped_font_with_unit_and_score(reported, client_as, world):
    started = time.perf_counter()
    response = client_as("enterprise").get(reverse("evaluation:report", args=[reported.pk]))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "evaluation-report.pdf"
    pdf.write_bytes(response.content)

    fonts = poppler("pdffonts", str(pdf))
    names = {line.split()[0] for line in fonts.splitlines()[2:] if line.strip()}
    assert names and all(re.fullmatch(r"[A-Z]{6}\+Noto-Serif-SC(-Bold)?", n) for n in names), fonts

    text = re.sub(r"\s+", "", poppler("pdftotext", "-enc", "UTF-8", str(pdf), "-"))
    assert "安全生产诚信评估报告" in text
    assert world.unit.name in text
    assert "85.0分" in text  # the preliminary score: (85.0 + 84.9) / 2 = 84.95 → 85.0
    assert "四星级" in text
    assert "expert专家" in text and "expert_other专家" in text
    assert "台账记录不全" in text
    assert "1.1" in text and "5.3" in text  # the item table runs through the standard
    assert "V6" in text and "未发现" in text

    poppler("pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "evaluation-report"))
    assert list(ARTIFACTS.glob("evaluation-report-*.png"))
    print(f"report rendered and served in {elapsed:.2f}s")


def test_a_veto_appears_in_the_report_and_removes_the_star(world, client_as):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    (assignment,) = assign(application, bureau, world.users["expert"])
    veto = VetoItem.objects.get(code="V1", standard__version="v1")
    sign(assignment, "100.0", vetoes={veto.pk: "2026年3月发生一起死亡事故"})
    response = client_as("bureau").get(reverse("evaluation:report", args=[application.pk]))
    path = ARTIFACTS / "evaluation-report-veto.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    path.write_bytes(response.content)
    text = re.sub(r"\s+", "", poppler("pdftotext", "-enc", "UTF-8", str(path), "-"))
    assert "2026年3月发生一起死亡事故" in text
    assert "无星级" in text and "100.0分" in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("bureau", 200),
        ("enterprise", 200),
        ("township", 200),
        ("supervisor", 200),
        ("expert", 200),
        ("expert_other", 200),
        ("enterprise_other", 404),
        ("township_other", 404),
        ("supervisor_other", 404),
        ("government", 403),
        ("department", 403),
    ],
)
def test_who_may_download_the_report(reported, client_as, persona, status):
    response = client_as(persona).get(reverse("evaluation:report", args=[reported.pk]))
    assert response.status_code == status


def test_no_report_before_every_expert_signed(world, client_as):
    bureau = world.users["bureau"]
    application = accepted_application(world.unit, bureau)
    first, _second = assign(application, bureau, world.users["expert"], world.users["expert_other"])
    sign(first, "90.0")
    response = client_as("bureau").get(reverse("evaluation:report", args=[application.pk]))
    assert response.status_code == 404
