"""The hostile inputs an attack found, one by one: each a clear answer, never a server error.

(The NUL in the query API is in test_api_units_rating.py, the NUL in an import in
test_security_email_poison.py, ``next=javascript:`` in test_security_redirects_and_caching.py;
every URL pattern is walked with hostile values in test_security_hostile_urls.py.)
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Application, Evidence
from tests.access.ratings import stage
from tests.assessment_support import open_cycle, pdf_upload, sign
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def lenient_client():
    return Client(raise_request_exception=False)


def test_verification_code_with_a_slash_is_a_clear_400(lenient_client, world):
    response = lenient_client.get("/certificates/verify/", {"code": "a/b"})
    assert response.status_code == 400


def test_a_policy_version_that_is_not_a_number_is_404(lenient_client, world):
    sign_in(lenient_client, world.users["bureau"])
    for version in ("abc", "1e9", "99999999999999999999", "\x00"):
        response = lenient_client.get("/linkage/policy/", {"version": version})
        assert response.status_code == 404, version


def test_evidence_missing_on_disk_is_a_404_with_a_reason(client_as, world):
    cycle = open_cycle()
    sign(cycle, world.unit, world.users["enterprise"])
    application = Application.objects.create(cycle=cycle, unit=world.unit)
    target = next(iter(cycle.standard.items()))
    client = client_as("enterprise")
    url = reverse("assessments:self_assessment", args=[application.pk])
    client.post(url, {f"item-{target.pk}-files": [pdf_upload()], "then": "save"})
    evidence = Evidence.objects.get(application=application)
    Path(evidence.file.path).unlink()
    lenient = Client(raise_request_exception=False)
    sign_in(lenient, world.users["enterprise"])
    response = lenient.get(
        reverse("assessments:evidence_download", args=[application.pk, evidence.pk])
    )
    assert response.status_code == 404


def test_a_certificate_without_a_seal_key_is_a_clear_503(lenient_client, world, settings):
    certificate = stage(world).certificate
    settings.SEAL_KEY_FILE = settings.SEAL_CERT_FILE = ""
    settings.SEAL_ALLOW_DEMO_KEY = False
    url = reverse("public_ratings:verify_pdf", args=[certificate.verification_code])
    response = lenient_client.get(url)
    assert response.status_code == 503
    assert "电子印章尚未配置" in response.content.decode()
    assert lenient_client.get(reverse("public_ratings:seal_certificate")).status_code == 503


def test_a_certificate_file_lost_from_storage_is_rendered_again(lenient_client, world):
    certificate = stage(world).certificate
    url = reverse("public_ratings:verify_pdf", args=[certificate.verification_code])
    assert lenient_client.get(url).status_code == 200
    certificate.refresh_from_db()
    Path(certificate.pdf.path).unlink()
    response = lenient_client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
