"""An anonymous visitor cannot fill the disk or the session table.

The self-assessment keeps a POST that arrives after the session expired (decision 0010); it
keeps only the page's own fields, small, for a draft that could still be saved, a few times an
hour per address. Whole request bodies are capped before they are read, lower for visitors.
"""

import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.db.models.functions import Length
from django.urls import reverse

from assessments.models import Application, Status
from tests.assessment_support import open_cycle, sign
from tests.redis_namespace import empty_namespace

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    empty_namespace()  # the suite's own keys only, never a running demo's
    yield
    empty_namespace()


@pytest.fixture
def application(world):
    cycle = open_cycle()
    sign(cycle, world.unit, world.users["enterprise"])
    return Application.objects.create(cycle=cycle, unit=world.unit)


def edit_url(pk):
    return reverse("assessments:self_assessment", args=[pk])


def session_bytes() -> int:
    return Session.objects.aggregate(total=Sum(Length("session_data")))["total"] or 0


def first_item(application):
    return next(iter(application.cycle.standard.items()))


def test_an_anonymous_post_of_megabytes_is_not_kept(client, application):
    target = first_item(application)
    big = {f"item-{target.pk}-notes": "x" * 3_500_000, "then": "save"}
    for _ in range(3):
        client.cookies.clear()
        response = client.post(edit_url(application.pk), big)
        assert response.status_code in (302, 413)
    assert session_bytes() < 10_000


def test_unexpected_fields_are_not_kept(client, application):
    response = client.post(edit_url(application.pk), {"junk": "y" * 1000, "then": "save"})
    assert "/accounts/login/" in response.url
    assert session_bytes() < 2_000


def test_nothing_is_kept_for_a_draft_that_does_not_exist_or_is_submitted(client, application):
    target = first_item(application)
    data = {f"item-{target.pk}-score": "4.0", "then": "save"}
    client.post(edit_url(987654), data)
    Application.objects.filter(pk=application.pk).update(status=Status.SUBMITTED)
    client.post(edit_url(application.pk), data)
    assert session_bytes() < 2_000


def test_one_address_keeps_only_a_few_posts_an_hour(client, application, settings):
    settings.STASH_RATE = "3/h"
    target = first_item(application)
    sizes = []
    for _ in range(5):
        client.cookies.clear()
        before = session_bytes()
        client.post(edit_url(application.pk), {f"item-{target.pk}-notes": "说明" * 100})
        sizes.append(session_bytes() - before > 200)
    assert sizes == [True, True, True, False, False]


def test_a_60_mb_anonymous_upload_to_registration_is_refused(client, world):
    upload = SimpleUploadedFile("big.bin", b"\0" * (60 * 1024 * 1024))
    response = client.post(reverse("units:register"), {"name": "某公司", "file": upload})
    assert response.status_code == 413
    assert "过大" in response.content.decode()


def test_a_signed_in_enterprise_may_still_upload_several_files(client_as, application):
    upload = SimpleUploadedFile("a.bin", b"\0" * (8 * 1024 * 1024))
    response = client_as("enterprise").post(edit_url(application.pk), {"x": upload})
    assert response.status_code != 413


def test_a_broken_content_length_is_a_clear_400(client):
    response = client.generic("POST", reverse("units:register"), b"", CONTENT_LENGTH="abc")
    assert response.status_code == 400


def test_shipped_gunicorn_config_bounds_request_line_and_headers():
    config = (ROOT / "gunicorn.conf.py").read_text()
    for setting in ("limit_request_line", "limit_request_fields", "limit_request_field_size"):
        assert re.search(rf"^{setting} = \d+", config, re.M), setting
    assert "-c gunicorn.conf.py" in (ROOT / "docker-compose.yml").read_text()
    assert '"-c", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()


def test_shipped_redis_is_bounded_and_evicts_only_expiring_keys():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "--maxmemory " in compose and "--maxmemory-policy volatile-lru" in compose
