"""A forged cross-site POST is refused on every URL of the project.

The walk reuses the access matrix: each URL is posted to, without a CSRF token, by a persona the
table allows (so the refusal is the CSRF check, not the role check). Django checks the token
before the view runs, so even GET-only views answer 403 here. There is no exception: even the
bearer-token API (no cookie, nothing to forge) keeps the middleware's check, and it is GET only,
which ``test_the_token_api_accepts_no_post`` shows.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.access.table import ACCESS
from tests.conftest import sign_in
from tests.test_access_matrix import named_patterns

pytestmark = pytest.mark.django_db

PREFERRED = ("bureau", "enterprise", "anonymous")


def persona_for(rule) -> str:
    for persona in PREFERRED:
        if persona in rule.allowed:
            return persona
    return sorted(rule.allowed)[0]


def test_every_url_refuses_a_post_without_a_csrf_token(world):
    names = {name for name, _pattern in named_patterns()}
    answers = {}
    for name in sorted(names):
        rule = ACCESS[name]
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else {})
        forger = Client(enforce_csrf_checks=True)
        persona = persona_for(rule)
        if persona != "anonymous":
            sign_in(forger, world.users[persona])
        response = forger.post(url, {"name": "forged", "reason": "forged", "content": "forged"})
        answers[name] = response.status_code
    assert {name: status for name, status in answers.items() if status != 403} == {}


def test_the_token_api_accepts_no_post(client, world):
    url = reverse("units_api:unit_rating", kwargs={"credit_code": world.unit.credit_code})
    assert client.post(url).status_code == 405


def test_the_csrf_refusal_is_the_readable_page(client, world):
    forger = Client(enforce_csrf_checks=True)
    sign_in(forger, world.users["bureau"])
    response = forger.post(reverse("portal:logout"))
    assert response.status_code == 403
    assert b"CSRF" in response.content or "安全" in response.content.decode()


FORM_POST = re.compile(r"<form\b[^>]*method=[\"']post[\"'][^>]*>(.*?)</form>", re.I | re.S)


def test_every_post_form_in_the_templates_carries_the_token():
    missing = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for body in FORM_POST.findall(path.read_text(encoding="utf-8")):
            if "{% csrf_token %}" not in body:
                missing.append(str(path.relative_to(settings.BASE_DIR)))
    assert missing == []
