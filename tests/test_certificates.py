"""Certificates: numbering, verification states, the sealed PDF (text, fonts, QR target,
signature) and its tamper evidence, the bulletin, and batch generation with progress."""

import datetime
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ratings import seal
from ratings.documents import verification_url
from ratings.models import Certificate, CertificateJob
from ratings.services import certificates, publication
from tests.access.ratings import PUBLISHED_YEAR, stage

pytestmark = pytest.mark.django_db


def verify(client, code):
    return client.get(reverse("public_ratings:verify", args=[code]))


def test_certificate_number_code_and_validity(world):
    s = stage(world)
    cert = s.certificate
    assert cert.number == f"新安诚证〔{PUBLISHED_YEAR}〕第0001号"
    assert len(cert.verification_code) == 16
    cycle = s.rating.cycle
    comment_days = (cycle.comment_end - cycle.comment_start).days + 1
    one_year = cert.issued_on.replace(year=cert.issued_on.year + 1)
    assert cert.valid_until == one_year + datetime.timedelta(days=comment_days)


def test_verification_valid(client, world):
    s = stage(world)
    page = verify(client, s.certificate.verification_code).content.decode()
    assert "有效" in page and world.unit.name in page and world.unit.credit_code in page


def test_verification_expired(client, world):
    s = stage(world)
    Certificate.objects.filter(pk=s.certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = verify(client, s.certificate.verification_code).content.decode()
    assert "已过期" in page


def test_verification_superseded_by_next_cycle_is_expired(client, world):
    s = stage(world)
    Certificate.objects.filter(pk=s.certificate.pk).update(superseded_on=timezone.localdate())
    assert "已过期" in verify(client, s.certificate.verification_code).content.decode()


def test_verification_revoked(client, world):
    s = stage(world)
    publication.revoke(rating=s.rating, reason="提供虚假材料。", actor=world.users["bureau"])
    page = verify(client, s.certificate.verification_code).content.decode()
    assert "已撤销" in page and "提供虚假材料。" in page


def test_verification_unknown_code_is_a_404_that_says_unknown(client, world):
    stage(world)
    response = verify(client, "abcdefghjkmnpqrs")
    assert response.status_code == 404 and "未知证书" in response.content.decode()


@pytest.mark.parametrize(
    "code", ["short", "ABCDEFGHJKMNPQRS", "abcdefghjkmnpqr0", "a" * 17, "../../etc"]
)
def test_verification_malformed_code_is_a_400(client, world, code):
    response = client.get(f"/certificates/verify/{code}/")
    assert response.status_code in (400, 404)
    if "/" not in code:
        assert response.status_code == 400 and "格式不正确" in response.content.decode()


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(path: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


def test_certificate_pdf_text_fonts_qr_target_and_seal(client_as, world, tmp_path):
    s = stage(world)
    response = client_as("enterprise").get(
        reverse("ratings:certificate_pdf", args=[s.certificate.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)
    text = "".join(pdf_text(pdf).split())  # long names wrap; compare without layout whitespace
    for expected in (
        "安全生产诚信单位证书",
        world.unit.name,
        world.unit.credit_code,
        f"{PUBLISHED_YEAR}年度",
        s.certificate.number,
        "★★★★",
    ):
        assert expected in text, expected
    assert verification_url(s.certificate) in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(name.split("+", 1)[1].startswith("Noto-Serif-SC") for name in fonts)
    assert seal.verify_pdf(response.content)


def test_an_altered_certificate_fails_seal_verification(world):
    s = stage(world)
    signed = certificates.ensure_pdf(Certificate.objects.get(pk=s.certificate.pk))
    assert seal.verify_pdf(signed)
    tampered = bytearray(signed)
    index = signed.index(b"/Type /Page") if b"/Type /Page" in signed else len(signed) // 3
    tampered[index + 1] ^= 0x01
    assert not seal.verify_pdf(bytes(tampered))
    assert not seal.verify_pdf(signed + b"\n%%append\n")


def test_a_signature_from_another_key_is_not_trusted(world, tmp_path, settings):
    s = stage(world)
    signed = certificates.ensure_pdf(Certificate.objects.get(pk=s.certificate.pk))
    other = tmp_path / "other"
    seal._generate_demo_pair(other / "key.pem", other / "cert.pem")
    assert not seal.verify_pdf(signed, trust_pem=(other / "cert.pem").read_bytes())


def test_production_refuses_to_sign_without_a_configured_key(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.SEAL_KEY_FILE = settings.SEAL_CERT_FILE = ""
    settings.SEAL_ALLOW_DEMO_KEY = False
    with pytest.raises(ImproperlyConfigured):
        seal.seal_paths()


def test_bulletin_pdf_is_an_official_document(client_as, world, tmp_path):
    s = stage(world)
    response = client_as("bureau").get(reverse("ratings:bulletin_pdf", args=[s.publication.pk]))
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(response.content)
    text = pdf_text(pdf).replace(" ", "")
    for expected in (
        "新郑市安全生产监督管理局文件",
        f"新安监〔{PUBLISHED_YEAR}〕1号",
        f"关于公布{PUBLISHED_YEAR}年度安全生产诚信单位",
        "评定结果的通报",
        world.unit.name,
        "抄送",
        "印发",
    ):
        assert expected in text, expected
    assert all(name.split("+", 1)[1].startswith("Noto-Serif-SC") for name in pdf_fonts(pdf))
    assert seal.verify_pdf(response.content)


def test_batch_generation_records_progress_and_finishes(client_as, world):
    s = stage(world)
    Certificate.objects.filter(pk=s.certificate.pk).update(pdf="")
    CertificateJob.objects.filter(pk=s.job.pk).update(finished_at=timezone.now())
    job = certificates.start_job(publication=s.publication, actor=world.users["bureau"])
    assert (job.total, job.done) == (1, 0)
    progress = client_as("bureau").get(reverse("ratings:job_progress", args=[job.pk])).json()
    assert progress == {"total": 1, "done": 0, "failed": 0, "last_error": "", "finished": False}
    certificates.render_chunk(job.pk, [s.certificate.pk])  # what the worker runs
    progress = client_as("bureau").get(reverse("ratings:job_progress", args=[job.pk])).json()
    assert progress["done"] == 1 and progress["finished"] is True
    assert Certificate.objects.get(pk=s.certificate.pk).pdf
    page = client_as("bureau").get(reverse("ratings:publication_detail", args=[s.publication.pk]))
    assert "data-job-progress" in page.content.decode()


def test_seal_certificate_is_downloadable_for_offline_checks(client, world):
    response = client.get(reverse("public_ratings:seal_certificate"))
    assert response.content.startswith(b"-----BEGIN CERTIFICATE-----")
    page = client.get(reverse("public_ratings:verify_form")).content.decode()
    assert "xinzheng-ajj-seal.pem" in page  # Acrobat users import it
    assert reverse("public_ratings:verify_upload") in page  # everyone else uploads the PDF
    assert "pyhanko sign validate" not in page


@override_settings(SITE_URL="https://aqsc.example.gov.cn")
def test_qr_points_to_the_configured_site(world):
    s = stage(world)
    assert verification_url(s.certificate) == (
        f"https://aqsc.example.gov.cn/certificates/verify/{s.certificate.verification_code}/"
    )
