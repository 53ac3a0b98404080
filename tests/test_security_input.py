"""Hostile text in every search box and filter, and in forms: a page or a message, never a 500.

Every GET page of the access table is opened by an allowed persona with each hostile value in
every filter parameter the project uses (``q``, ``name``, ``text``, dates, choices...). The
units table must still be there afterwards, and forms must name the field they refuse.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.access.table import ACCESS
from units.models import Unit

pytestmark = pytest.mark.django_db

HOSTILE = {
    "sql": "' OR 1=1 --",
    "drop": "%' ; DROP TABLE units_unit; --",
    "nul": "a\x00b",
    "10k": "测" * 10_000,
    "100k": "x" * 100_000,
    "unicode": "\u202egnp.exe \U0001f4a9 e\u0301 \ufeff\u200b 𠮷",
}
PARAMS = (
    "q",
    "name",
    "text",
    "area",
    "industry",
    "status",
    "since",
    "until",
    "flag",
    "page",
    "year",
    "star",
    "department",
    "kind",
    "batch",
    "cycle",
    "format",
)


def persona_for(rule) -> str:
    for persona in ("bureau", "enterprise", "anonymous", "department", "expert"):
        if persona in rule.allowed:
            return persona
    return sorted(rule.allowed)[0]


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_every_search_and_filter_survives_hostile_text(world, kind):
    value = HOSTILE[kind]
    units_before = Unit.objects.count()
    failures = []
    for name, rule in sorted(ACCESS.items()):
        if rule.method != "get" or name.endswith(("_pdf", "export_xlsx", "import_template")):
            continue
        visitor = Client(raise_request_exception=False)
        persona = persona_for(rule)
        if persona != "anonymous":
            visitor.force_login(world.users[persona])
        url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else {})
        response = visitor.get(url, {param: value for param in PARAMS})
        # The worker health check answers 503 when no worker runs (none does in tests).
        if response.status_code >= 500 and name != "portal:health_worker":
            failures.append(f"{name}: {response.status_code}")
    assert failures == []
    assert Unit.objects.count() == units_before


REGISTRATION = {
    "name": "郑州正规建材有限公司",
    "credit_code": "91410184MA3XXXXX1T",
    "legal_representative": "张三",
    "address": "新郑市新建路1号",
    "contact_name": "李四",
    "contact_phone": "13900000000",
}


@pytest.mark.parametrize("field", ["name", "address", "contact_name"])
def test_registration_refuses_a_very_long_field_by_name(client, world, field):
    units_before = Unit.objects.count()
    response = client.post(reverse("units:register"), {**REGISTRATION, field: "长" * 10_000})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "字符" in response.content.decode()
    assert Unit.objects.count() == units_before


def test_registration_refuses_a_nul_byte_with_a_message(client, world):
    units_before = Unit.objects.count()
    response = client.post(reverse("units:register"), {**REGISTRATION, "name": "郑州\x00建材"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Unit.objects.count() == units_before
