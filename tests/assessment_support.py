"""Building blocks for the cycle/pledge/self-assessment/acceptance tests."""

import datetime
import io
import zipfile
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessments.models import Application, Cycle, Pledge, ScoringStandard, SelfScore

# Smallest files that are what they claim to be.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.txt", "not a document")
    return buffer.getvalue()


def pdf_upload(name="制度文件.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def default_standard() -> ScoringStandard:
    return ScoringStandard.objects.order_by("created_at").first()


def open_cycle(year=None, **overrides) -> Cycle:
    today = timezone.localdate()
    fields = {
        "year": year or today.year,
        "name": f"{year or today.year}年度",
        "standard": default_standard(),
        "phase": Cycle.Phase.EVALUATION,
        "pledge_deadline": today + datetime.timedelta(days=10),
        "application_deadline": today + datetime.timedelta(days=30),
        "comment_start": today + datetime.timedelta(days=60),
        "comment_end": today + datetime.timedelta(days=70),
    }
    fields.update(overrides)
    return Cycle.objects.create(**fields)


def sign(cycle, unit, user) -> Pledge:
    return Pledge.objects.create(
        cycle=cycle,
        unit=unit,
        text=cycle.pledge_text,
        signatory="张伟",
        signatory_title="总经理",
        signed_on=timezone.localdate(),
        submitted_by=user,
    )


def complete_draft(cycle, unit, user, score_of=lambda item: item.max_points - Decimal("0.5")):
    """A draft application with every item scored and a report: ready to submit."""
    sign(cycle, unit, user) if not Pledge.objects.filter(cycle=cycle, unit=unit).exists() else None
    application, _ = Application.objects.get_or_create(cycle=cycle, unit=unit)
    SelfScore.objects.bulk_create(
        SelfScore(application=application, item=item, score=score_of(item), notes="已落实")
        for item in cycle.standard.items()
    )
    Application.objects.filter(pk=application.pk).update(self_report="本单位已完成自查。")
    return Application.objects.get(pk=application.pk)


def check_pdf(pdf: bytes, name: str, expected: list[str]) -> "Path":  # noqa: F821
    """Only the shipped font is embedded, the text is there, and page 1 is kept as a PNG
    under test-artifacts/ for a person to look at. Returns the PNG path."""
    import re
    import shutil
    import subprocess
    from pathlib import Path

    import pytest

    if not all(shutil.which(tool) for tool in ("pdffonts", "pdftotext", "pdftoppm")):
        pytest.skip("poppler-utils missing")
    out_dir = Path(__file__).resolve().parent.parent / "test-artifacts"
    out_dir.mkdir(exist_ok=True)
    path = out_dir / f"{name}.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
    assert rows, fonts.stdout
    for row in rows:
        assert re.fullmatch(r"[A-Z]{6}\+Noto-Serif-SC(-Bold)?", row[0]), fonts.stdout
        assert row[-5] == "yes", fonts.stdout
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    for snippet in expected:
        assert re.sub(r"\s+", "", snippet) in flat, snippet
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(out_dir / name)],
        check=True,
    )
    return next(out_dir.glob(f"{name}*.png"))


def ensure_reference_data() -> None:
    """Transactional tests may start after another one flushed the tables: reload the areas,
    industries, departments and default standard the migrations put there (idempotent)."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    # The flush re-created content types under new ids; the in-memory cache still has the old.
    ContentType.objects.clear_cache()
    from assessments.defaults import load_default_standard
    from units.defaults import load_reference_data

    load_reference_data(apps)
    load_default_standard(apps)


def keep_email_out_of_the_broker(monkeypatch) -> list:
    """Transactional tests run on_commit hooks for real: collect the e-mail copies instead of
    queueing them in Redis (which would also bind the Celery app to no result backend)."""
    sent: list = []
    from portal.models import Notification

    def collect(notification_ids):
        for row in Notification.objects.filter(pk__in=notification_ids).select_related("recipient"):
            sent.append((row.subject, row.body, [row.recipient.email]))

    monkeypatch.setattr("portal.notifications._enqueue_email", collect)
    return sent
