"""Every URL pattern, walked with hostile path and query values, anonymous and signed in as
several personas: a page, a refusal or a 404, never a server error.

The access matrix (tests/test_access_matrix.py) supplies the patterns and a valid set of path
values per pattern; here each path value is replaced by hostile ones (NUL, an encoded slash,
control characters, 5,000 characters, a number too big for the database) and junk is added to
every query string and POST body.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.access.table import ACCESS
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "enterprise", "township", "bureau", "expert", "department")
HOSTILE_PATH_VALUES = (
    "\x00",
    "a\x00b",
    "a/b",
    "../../etc/passwd",
    "\x01\x1f\x7f\r\n",
    "x" * 5000,
    "abc",
    "-1",
    "99999999999999999999999",
    "%",
    "\u202e测试",
)
JUNK_QUERY = {
    "\x00": "\x00",
    "page": "\x00",
    "next": "javascript:alert(1)",
    "version": "abc",
    "code": "a/b",
    "year": "99999999999999999999",
    "pk": "-1",
    "id": "1e9",
    "area": "\x01",
    "q": "\x00" + "x" * 3000,
    "utm_source": "y" * 5000,
    "format": "../../x",
    "ordering": "password",
}
# PDFs are rendered by WeasyPrint (slow); their path values are still walked with hostile text.
SLOW = ("_pdf", "export_xlsx", "import_template")


def visitor(world, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        sign_in(client, world.users[persona])
    return client


def server_errors(responses) -> list[str]:
    # The worker health check answers 503 when no worker runs (none does in tests).
    return [
        f"{label}: {response.status_code}"
        for label, response in responses
        if response.status_code >= 500 and not label.startswith("portal:health_worker")
    ]


def hostile_paths(world):
    """(label, url): each path value of each pattern replaced in turn by each hostile value."""
    for name, rule in sorted(ACCESS.items()):
        if not rule.kwargs:
            continue
        kwargs = rule.kwargs(world)
        for key, value in kwargs.items():
            sentinel = 987654321 if isinstance(value, int) else "sentinelvalue"
            try:
                url = reverse(name, kwargs={**kwargs, key: sentinel})
            except NoReverseMatch:  # a pattern that admits only one shape of value
                continue
            for hostile in HOSTILE_PATH_VALUES:
                label = f"{name}[{key}={hostile[:10]!r}]"
                yield label, url.replace(str(sentinel), quote(hostile, safe="/"), 1)


def test_hostile_path_values_never_cause_a_server_error(world):
    paths = list(hostile_paths(world))
    assert len(paths) > 100
    responses = []
    # Path values are checked before any role-specific code runs: three kinds of visitor do.
    for persona in ("anonymous", "enterprise", "bureau"):
        client = visitor(world, persona)
        for label, url in paths:
            responses.append((f"{label} as {persona}", client.get(url)))
    assert server_errors(responses) == []


def test_junk_query_and_body_on_every_url_never_cause_a_server_error(world):
    # Path values once: some set up the objects they name (a cycle, an application...).
    urls = [
        (name, reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else {}))
        for name, rule in sorted(ACCESS.items())
        if not name.endswith(SLOW)
    ]
    responses = []
    for persona in PERSONAS:
        client = visitor(world, persona)
        for name, url in urls:
            responses.append((f"{name} GET as {persona}", client.get(url, JUNK_QUERY)))
            responses.append((f"{name} POST as {persona}", client.post(url, JUNK_QUERY)))
    assert server_errors(responses) == []
