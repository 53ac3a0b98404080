"""``next`` never leaves the site; pages seen signed in are never kept by a browser or proxy."""

import pytest
from django.test import RequestFactory

from linkage.models import Notice
from linkage.services import delivery
from portal.redirects import next_url
from tests.publication_support import publish_results

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/x",
        "//evil.example/x",
        "/\\evil.example/x",
        "javascript:alert(1)",
        "http://testserver@evil.example/",
        "/linkage/inbox/\x00",
        "/linkage/\r\nSet-Cookie: a=b",
    ],
)
def test_inbox_acknowledgement_never_redirects_off_site(world, client_as, target):
    publish_results([(world.unit, 5)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    notice = Notice.objects.get(unit=world.unit, department__short_name="财政")
    response = client_as("department").post(
        "/linkage/inbox/acknowledge/", {"notice": [notice.pk], "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/linkage/inbox/"


def test_a_local_next_is_followed(world, client_as):
    response = client_as("department").post(
        "/linkage/inbox/acknowledge/", {"notice": ["1"], "next": "/linkage/inbox/?page=2"}
    )
    assert response["Location"] == "/linkage/inbox/?page=2"


def test_odd_notice_ids_are_ignored_not_a_server_error(world, client_as):
    response = client_as("department").post(
        "/linkage/inbox/acknowledge/", {"notice": ["²", "99999999999999999999999", "-1"]}
    )
    assert response.status_code == 302


def test_the_helper_falls_back_to_a_url_name():
    request = RequestFactory().post("/", {"next": "https://evil.example/"})
    assert next_url(request, "linkage:inbox") == "/linkage/inbox/"


@pytest.mark.parametrize("persona", ["enterprise", "bureau", "department", "expert"])
def test_signed_in_pages_are_not_stored(client_as, persona):
    response = client_as(persona).get("/dashboard/")
    assert "no-store" in response["Cache-Control"]


def test_public_pages_keep_their_own_caching(client):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")
