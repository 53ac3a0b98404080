"""Markup typed into any free-text field is shown as text, never run.

The world is staged as the access matrix stages it (every stage's objects exist), a unit is
registered through the public form with the payload, and then every free text the users can
write (names, reports, notes, findings, evidence, reasons, comments, replies, answers...) holds
the payload. Every page of the project is then read by a persona allowed to see it: the payload
must appear escaped and never as live markup.
"""

import subprocess

import pytest
from django.apps import apps
from django.db import DatabaseError, models, transaction
from django.urls import reverse

from tests.access.table import ACCESS
from tests.conftest import sign_in
from tests.test_access_matrix import named_patterns

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(1)>\"'"
SHORT = "<script>alert(1)"  # for fields shorter than the whole payload
RAW = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)"
APPS = ("units", "assessments", "linkage", "ratings", "portal")
# Not free text a user writes: identifiers, hashes, file metadata, addresses of machines.
NOT_FREE_TEXT = {
    "credit_code",
    "code",
    "number",
    "receipt_number",
    "verification_code",
    "sha256",
    "content_type",
    "password",
    "username",
    "version",
    "phone",
    "contact_phone",
    "prefix",
    "key_hash",
    "token_hash",
    "digest",
    "secret",
    "idempotency_key",
    "event_id",
    "language",
}


def free_text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField):
            continue
        if field.choices or field.unique or field.name in NOT_FREE_TEXT or not field.editable:
            continue
        if field.name.endswith(("_hash", "_key", "_id", "_code")):
            continue
        yield field


def fill_every_free_text_field() -> list[str]:
    """Write the payload into every free-text column; append-only tables refuse and are
    skipped (their text was written through the forms above, if anywhere)."""
    filled = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in free_text_fields(model):
                value = PAYLOAD if not field.max_length or field.max_length >= 64 else SHORT
                if field.max_length and field.max_length < len(value):
                    continue
                try:
                    with transaction.atomic():
                        if model.objects.update(**{field.name: value}):
                            filled.append(f"{model._meta.label}.{field.name}")
                except DatabaseError:
                    pass
    return filled


def stage_everything(world) -> None:
    for _name, rule in sorted(ACCESS.items()):
        if rule.kwargs:
            rule.kwargs(world)


def readers(rule) -> list[str]:
    chosen = [p for p in ("anonymous", "bureau", "enterprise") if p in rule.allowed]
    return chosen or sorted(rule.allowed)[:1]


@pytest.fixture
def poisoned(world, client):
    stage_everything(world)
    response = client.post(
        reverse("units:register"),
        {
            "name": "恶意" + SHORT,
            "credit_code": "91410184MA3XXXXX1T",
            "legal_representative": SHORT,
            "address": PAYLOAD,
            "contact_name": SHORT,
            "contact_phone": "13900000000",
        },
    )
    assert response.status_code in (200, 302)
    return fill_every_free_text_field()


def test_payload_reaches_every_kind_of_free_text(poisoned):
    for expected in (
        "units.Unit.name",
        "units.Unit.address",
        "assessments.Application.self_report",
        "assessments.Application.adjustment_reason",
    ):
        assert expected in poisoned
    ratings = [label for label in poisoned if label.startswith("ratings.")]
    assert ratings, "ratings free text (comments, replies, objections, answers, reasons)"


def test_every_page_shows_the_payload_as_text(poisoned, client, world):
    live, shown = [], set()
    for name, _pattern in sorted(named_patterns()):
        rule = ACCESS[name]
        if rule.method != "get":
            continue
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else {})
        for persona in readers(rule):
            client.logout()
            if persona != "anonymous":
                sign_in(client, world.users[persona])
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code != 200 or not kind.startswith(("text/", "application/")):
                continue
            if "pdf" in kind or "spreadsheet" in kind:
                continue
            body = b"".join(response) if response.streaming else response.content
            text = body.decode("utf-8", "replace")
            if "text/csv" in kind:
                # Data, not markup: served as an attachment the browser never renders.
                assert "attachment" in response.get("Content-Disposition", ""), name
                continue
            if "json" in kind:
                # JSON keeps the text as data; the browser never renders it (nosniff).
                assert response.get("X-Content-Type-Options") == "nosniff", name
                continue
            if any(raw in text for raw in RAW):
                live.append(f"{name} as {persona} ({kind})")
            if ESCAPED in text:
                shown.add(name)
    assert live == [], "\n".join(live)
    # The payload was really on the pages (not merely absent).
    for name in ("units:detail", "assessments:application_detail", "public:unit", "api:feed"):
        assert name in shown, name


def test_a_pdf_prints_the_payload_as_literal_text(poisoned, client, world, tmp_path):
    """WeasyPrint renders HTML too: an unescaped payload would vanish into markup."""
    sign_in(client, world.users["bureau"])
    url = reverse("assessments:pledge_pdf", kwargs=ACCESS["assessments:pledge_pdf"].kwargs(world))
    response = client.get(url)
    body = b"".join(response) if response.streaming else response.content
    path = tmp_path / "pledge.pdf"
    path.write_bytes(body)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<script>alert(1)" in text
