"""Evidence uploads are judged by their content; they are served only to allowed readers."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Application, Evidence
from assessments.uploads import check_upload
from tests.assessment_support import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    open_cycle,
    pdf_upload,
    plain_zip_bytes,
    sign,
)

pytestmark = pytest.mark.django_db


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    "name, content, mime",
    [
        ("制度.pdf", PDF_BYTES, "application/pdf"),
        ("现场照片.PNG", PNG_BYTES, "image/png"),
        (
            "台账.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_real_documents_are_accepted(name, content, mime):
    assert check_upload(upload(name, content)).content_type == mime


@pytest.mark.parametrize(
    "name, content",
    [
        ("发票.pdf", EXE_BYTES),  # an executable renamed .pdf
        ("setup.exe", PDF_BYTES),  # a PDF under an executable's name
        ("照片.png", PDF_BYTES),  # extension and content disagree
        ("报告.docx", plain_zip_bytes()),  # a zip that is not an OOXML package
        ("说明.txt", b"plain text"),
        ("无扩展名", PDF_BYTES),
    ],
)
def test_disguised_or_unsupported_files_are_refused(name, content):
    with pytest.raises(ValidationError, match="格式不被接受"):
        check_upload(upload(name, content))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="空文件"):
        check_upload(upload("空.pdf", b""))


def test_oversize_file_is_refused(settings):
    settings.EVIDENCE_MAX_FILE_BYTES = 100
    with pytest.raises(ValidationError, match="超过单个文件上限"):
        check_upload(upload("大.pdf", PDF_BYTES + b"0" * 200))


@pytest.fixture
def application(world):
    cycle = open_cycle()
    sign(cycle, world.unit, world.users["enterprise"])
    return Application.objects.create(cycle=cycle, unit=world.unit)


def post_files(client, application, files):
    item = application.cycle.standard.items().first()
    url = reverse("assessments:self_assessment", args=[application.pk])
    return client.post(url, {f"item-{item.pk}-files": files, "then": "save"})


def test_disguised_executable_is_refused_in_the_page_and_nothing_is_stored(
    client_as, world, application
):
    response = post_files(client_as("enterprise"), application, [upload("发票.pdf", EXE_BYTES)])
    assert response.status_code == 400
    assert "发票.pdf" in response.content.decode()
    assert "格式不被接受" in response.content.decode()
    assert not Evidence.objects.exists()


def test_per_application_total_is_enforced(client_as, world, application, settings):
    settings.EVIDENCE_MAX_APPLICATION_BYTES = len(PDF_BYTES) * 2
    client = client_as("enterprise")
    post_files(client, application, [pdf_upload("一.pdf"), pdf_upload("二.pdf")])
    response = post_files(client, application, [pdf_upload("三.pdf")])
    assert "超过上限" in response.content.decode()
    assert Evidence.objects.count() == 2


def test_valid_file_is_kept_when_another_in_the_same_post_is_refused(client_as, world, application):
    response = post_files(
        client_as("enterprise"), application, [pdf_upload("好.pdf"), upload("空.pdf", b"")]
    )
    assert "空文件" in response.content.decode()
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["好.pdf"]


def test_evidence_is_served_only_through_the_checked_view(client_as, world, application):
    post_files(client_as("enterprise"), application, [pdf_upload("制度.pdf")])
    evidence = Evidence.objects.get()
    url = reverse("assessments:evidence_download", args=[application.pk, evidence.pk])
    response = client_as("enterprise").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    for persona in ("enterprise_other", "township_other", "expert", "anonymous"):
        denied = client_as(persona).get(url)
        assert denied.status_code in (302, 404), persona
    # The stored name tells nothing and is not under any served URL.
    assert evidence.file.name.startswith("evidence/") and "制度" not in evidence.file.name


def test_evidence_of_another_application_is_not_reachable_through_ones_own(
    client_as, world, application
):
    post_files(client_as("enterprise"), application, [pdf_upload("制度.pdf")])
    evidence = Evidence.objects.get()
    cycle = application.cycle
    sign(cycle, world.other_unit, world.users["enterprise_other"])
    own = Application.objects.create(cycle=cycle, unit=world.other_unit)
    client = client_as("enterprise_other")
    url = reverse("assessments:evidence_download", args=[own.pk, evidence.pk])
    assert client.get(url).status_code == 404
    delete = reverse("assessments:evidence_delete", args=[own.pk, evidence.pk])
    client.post(delete)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_enterprise_deletes_its_own_evidence_while_editable(client_as, world, application):
    client = client_as("enterprise")
    post_files(client, application, [pdf_upload("制度.pdf")])
    evidence = Evidence.objects.get()
    client.post(reverse("assessments:evidence_delete", args=[application.pk, evidence.pk]))
    assert not Evidence.objects.exists()
