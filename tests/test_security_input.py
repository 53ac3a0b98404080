"""Hostile text in every search box and filter, and in forms: a page or a message, never a 500.

Every GET page of the access table is opened by an allowed persona with each hostile value in
every filter parameter the project uses (``q``, ``name``, ``text``, dates, choices...). The
units table must still be there afterwards, and forms must name the field they refuse.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.access.table import ACCESS
from tests.conftest import sign_in
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
    # Resolve every URL first: some URLs' objects are made for the walk (access table kwargs).
    targets = [
        (name, persona_for(rule), reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else {}))
        for name, rule in sorted(ACCESS.items())
        if rule.method == "get" and not name.endswith(("_pdf", "export_xlsx", "import_template"))
    ]
    units_before = Unit.objects.count()
    failures = []
    for name, persona, url in targets:
        visitor = Client(raise_request_exception=False)
        if persona != "anonymous":
            sign_in(visitor, world.users[persona])
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


# --- very long free text in the publicity forms -------------------------------------------

LONG = "长" * 10_000


def _publicity_posts(world):
    """(persona, url, data, field label, what must not have changed) for each free-text form."""
    from ratings.models import Comment, GradeChange
    from tests.access.ratings import stage

    s = stage(world)
    comment = s.comment
    return {
        "answer": (
            "bureau",
            reverse("ratings:comment_answer", args=[comment.pk]),
            {"decision": Comment.Decision.UPHELD, "answer": LONG},
            "处理意见",
            lambda: Comment.objects.filter(pk=comment.pk, answered_at__isnull=False).exists(),
        ),
        "grade reason": (
            "bureau",
            reverse("ratings:item_grade", args=[s.item.pk]),
            {"new_score": "80.0", "reason": LONG},
            "调整理由",
            lambda: GradeChange.objects.exists(),
        ),
        "reply": (
            "enterprise",
            reverse("ratings:comment_reply", args=[comment.pk]),
            {"reply": LONG},
            "单位回复",
            lambda: Comment.objects.filter(pk=comment.pk).exclude(reply="").exists(),
        ),
        "objection": (
            "enterprise",
            reverse("ratings:item_object", args=[s.item.pk]),
            {"reasons": LONG},
            "异议理由",
            lambda: Comment.objects.filter(content__startswith="长长长").exists(),
        ),
    }


@pytest.mark.parametrize("form", ["answer", "grade reason", "reply", "objection"])
def test_a_very_long_text_is_refused_by_name_and_kept_for_editing(client_as, world, form):
    persona, url, data, label, changed = _publicity_posts(world)[form]
    response = client_as(persona).post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"{label}：" in page and ("2000" in page or "4000" in page)  # field and limit
    assert LONG[:500] in page  # what was typed is still in the form
    assert not changed()


def test_a_very_long_public_comment_is_refused_by_name(client, world):
    from ratings.models import Comment
    from tests.access.ratings import stage
    from tests.redis_namespace import empty_namespace
    from tests.test_publicity import comment_data

    empty_namespace()  # other tests' comments from 127.0.0.1 must not throttle this one

    url = reverse("public_ratings:comment", args=[stage(world).item.pk])
    before = Comment.objects.count()
    response = client.post(url, comment_data(client, url, content=LONG))
    assert response.status_code == 400
    assert "意见内容" in response.content.decode() and "2000" in response.content.decode()
    assert Comment.objects.count() == before
