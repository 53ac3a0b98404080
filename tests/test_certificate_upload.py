"""A citizen checks a certificate PDF they were handed by uploading it: the seal, and whether
it is the certificate on record. Hostile files get a sentence, never a server error."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ratings.services.certificates import ensure_pdf
from tests.access.ratings import MINIMAL_PDF, stage
from tests.factories import UnitFactory
from tests.publication_support import publish_one as publish
from tests.redis_namespace import empty_namespace

pytestmark = pytest.mark.django_db

UPLOAD = reverse("public_ratings:verify_upload")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    empty_namespace()
    yield
    empty_namespace()


@pytest.fixture
def sealed(world):
    certificate = stage(world).certificate
    return certificate, ensure_pdf(certificate)


def upload(client, data: bytes, code: str = "", name: str = "证书.pdf"):
    return client.post(
        UPLOAD, {"pdf": SimpleUploadedFile(name, data, "application/pdf"), "code": code}
    )


def test_the_genuine_certificate_is_sealed_and_on_record(client, sealed):
    certificate, pdf = sealed
    response = upload(client, pdf, certificate.verification_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "印章完好" in html and "与备案一致" in html and certificate.number in html
    assert "另一张证书" not in html


def test_the_verify_page_offers_the_upload_and_no_longer_sends_people_to_pyhanko(client, sealed):
    certificate, _pdf = sealed
    html = client.get(reverse("public_ratings:verify", args=[certificate.verification_code]))
    html = html.content.decode()
    assert UPLOAD in html and 'type="file"' in html
    assert "pyhanko sign validate" not in html.lower()
    assert UPLOAD in client.get(reverse("public_ratings:verify_form")).content.decode()


def test_a_pdf_edited_after_sealing_is_reported_broken(client, sealed):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    _certificate, pdf = sealed
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    edited = BytesIO()
    writer.write(edited)
    response = upload(client, edited.getvalue())
    assert response.status_code == 400
    assert "电子印章已失效" in response.content.decode()


def test_another_certificate_is_named_as_such(client, sealed, world):
    certificate, _pdf = sealed
    other = publish(UnitFactory(name="新郑市另一家建材有限公司"), 2025, "96.0").certificate
    response = upload(client, ensure_pdf(other), certificate.verification_code)
    html = response.content.decode()
    assert "另一张证书" in html and other.number in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "不是PDF文件"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "已损坏或不完整"),
        (MINIMAL_PDF, "已损坏或不完整"),
        (b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "超过 5 MB"),
    ],
    ids=["not a pdf", "truncated", "unsealed", "too large"],
)
def test_hostile_files_get_a_clear_message(client, world, data, message):
    response = upload(client, data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_printed_or_re_saved_copy_without_the_seal_is_told_so(client, world):
    from weasyprint import HTML

    unsealed = HTML(string="<p>安全生产诚信单位证书</p>").write_pdf()
    response = upload(client, unsealed)
    assert response.status_code == 400
    assert "没有电子印章" in response.content.decode()


def test_a_truncated_certificate_is_not_accepted(client, sealed):
    _certificate, pdf = sealed
    response = upload(client, pdf[: len(pdf) // 2])
    assert response.status_code == 400
    html = response.content.decode()
    assert "印章完好" not in html


def test_no_file_at_all_names_the_field(client, world):
    response = client.post(UPLOAD, {"code": "x"})
    assert response.status_code == 400
    assert "证书PDF文件" in response.content.decode()
