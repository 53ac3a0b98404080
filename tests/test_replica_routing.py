"""Which requests read from the replica (portal/replica.py): only anonymous public GETs
from visitors without a session; every other read stays on the primary."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from portal import replica
from portal.access import public, roles
from portal.models import Role


@public
def public_view(request):
    return HttpResponse(str(replica.in_use()))


@roles(Role.BUREAU)
def staff_view(request):
    return HttpResponse(str(replica.in_use()))


@pytest.fixture
def with_replica(monkeypatch):
    # The real replica is exercised in tests/test_scale_multi_host.py; here only the choice.
    monkeypatch.setattr(replica, "configured", lambda: True)


def served_by_replica(request, view) -> bool:
    seen = {}

    def respond(request):
        middleware.process_view(request, view, (), {})
        seen["replica"] = replica.in_use()
        return HttpResponse()

    middleware = replica.PublicReadsFromReplicaMiddleware(respond)
    middleware(request)
    assert replica.in_use() is False, "the mark must not outlive the request"
    return seen["replica"]


def anonymous(request):
    request.user = AnonymousUser()
    return request


def test_an_anonymous_public_read_goes_to_the_replica(with_replica):
    assert served_by_replica(anonymous(RequestFactory().get("/search/")), public_view)


def test_forms_sessions_staff_pages_and_signed_in_readers_stay_on_the_primary(with_replica, world):
    factory = RequestFactory()
    assert not served_by_replica(anonymous(factory.post("/search/")), public_view)
    assert not served_by_replica(anonymous(factory.get("/ratings/publicity/")), staff_view)
    with_session = factory.get("/search/", HTTP_COOKIE="sessionid=abc")
    assert not served_by_replica(anonymous(with_session), public_view)
    signed_in = factory.get("/search/")
    signed_in.user = world.users["department"]
    assert not served_by_replica(signed_in, public_view)


def test_without_a_replica_everything_reads_the_primary():
    assert not served_by_replica(anonymous(RequestFactory().get("/search/")), public_view)


def test_the_router_sends_marked_reads_to_the_replica_and_every_write_to_the_primary():
    router = replica.PrimaryReplicaRouter()
    assert router.db_for_read(None) is None
    token = replica._reading_replica.set(True)
    try:
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) is None
    finally:
        replica._reading_replica.reset(token)
    assert router.allow_migrate("replica", "units") is False
