"""Walk every URL pattern of the project as every persona and compare with the table."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.access import declared_access
from tests.access.table import ACCESS
from tests.conftest import PERSONAS, sign_in

pytestmark = pytest.mark.django_db


def named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else None, entry


def test_every_url_has_an_access_rule():
    names = {name for name, _pattern in named_patterns()}
    assert None not in names, "every URL pattern needs a name so the access table can refer to it"
    assert names - set(ACCESS) == set(), "URLs without an entry in tests/access"
    assert set(ACCESS) - names == set(), "entries in tests/access for URLs that no longer exist"


def test_every_view_declares_who_may_use_it():
    undeclared = [
        name
        for name, pattern in named_patterns()
        if declared_access(pattern.callback) is None and name != "set_language"
    ]
    assert undeclared == []


def is_allowed(response) -> bool:
    if response.status_code in (403, 404):
        return False
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return False
    return True


def test_access_matrix(client, world, django_assert_max_num_queries):
    mismatches = []
    for name, rule in sorted(ACCESS.items()):
        kwargs = rule.kwargs(world) if rule.kwargs else {}
        url = reverse(name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                sign_in(client, world.users[persona])
            response = getattr(client, rule.method)(url)
            if is_allowed(response) != (persona in rule.allowed):
                mismatches.append(f"{name} as {persona}: {response.status_code}")
    assert mismatches == []


def test_only_an_officer_who_took_no_part_may_decide_an_objection(client, world):
    """The access row for ratings:objection_decide, per officer and not only per role."""
    from tests.access.ratings import OBJECTION_DECIDERS, stage

    objection = stage(world).due_objection
    url = reverse("ratings:objection_decide", args=[objection.pk])
    outcomes = {}
    for who, (user_of, _expected) in OBJECTION_DECIDERS.items():
        client.logout()
        sign_in(client, user_of(world))
        response = client.post(
            url, {"upheld": "0", "decision_text": ""}
        )  # invalid: decides nothing
        outcomes[who] = is_allowed(response)
    assert outcomes == {who: expected for who, (_u, expected) in OBJECTION_DECIDERS.items()}


def test_only_an_officer_who_took_no_part_may_answer_a_publicity_objection(client, world):
    """The access row for ratings:comment_answer on the enterprise's objection (单位异议)."""
    from tests.access.ratings import PUBLICITY_OBJECTION_ANSWERERS, stage

    url = reverse("ratings:comment_answer", args=[stage(world).objection.pk])
    outcomes = {}
    for who, (user_of, _expected) in PUBLICITY_OBJECTION_ANSWERERS.items():
        client.logout()
        sign_in(client, user_of(world))
        response = client.post(url, {"decision": "", "answer": ""})  # invalid: answers nothing
        outcomes[who] = is_allowed(response)
    expected = {who: allowed for who, (_u, allowed) in PUBLICITY_OBJECTION_ANSWERERS.items()}
    assert outcomes == expected
