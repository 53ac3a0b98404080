"""GET /api/v1/units/<credit code>/rating: what a department's approval system is told."""

import datetime

import pytest
import time_machine

from linkage.models import ApiQuery, DepartmentLink
from linkage.services.tokens import issue_token, revoke_token
from tests.publication_support import publish_results
from tests.redis_namespace import empty_namespace
from units.credit_code import make_credit_code
from units.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _within_the_display_period():
    """The helper publishes a year's results on 20 November; a 2025 result without a star is on
    public display for a year from then (key-monitoring listing). These pages are read on a
    day it still is."""
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)):
        yield


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    empty_namespace()  # the suite's own keys only, never a running demo's
    yield
    empty_namespace()


@pytest.fixture
def caizheng_token(world):
    _token, raw = issue_token(
        department=Department.objects.get(short_name="财政"), actor=None, label="审批系统"
    )
    return raw


def ask(client, code, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(f"/api/v1/units/{code}/rating", **headers)


def test_a_department_gets_the_units_current_rating(world, client, caizheng_token):
    [rating] = publish_results(
        [(world.unit, 4)], year=2025, published_on=datetime.date(2025, 12, 20)
    )
    certificate = rating.certificate
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        response = ask(client, world.unit.credit_code, caizheng_token)
    assert response.status_code == 200
    body = response.json()
    assert body["unit"]["credit_code"] == world.unit.credit_code
    assert body["result"] == "4" and body["stars"] == 4 and body["key_monitoring"] is False
    assert body["certificate"] == {
        "number": certificate.number,
        "status": "valid",
        "issued_on": "2025-12-20",
        "valid_until": certificate.valid_until.isoformat(),
    }
    assert body["supervision_tier"]["code"] == "self"
    assert "资金扶持" in body["measure_for_requester"]
    assert len(body["measures"]) == 10
    assert body["rating"]["comprehensive_score"] == "88.5"


def test_the_latest_year_counts(world, client, caizheng_token):
    publish_results([(world.unit, 5)], year=2024)
    publish_results([(world.unit, 0)], year=2025)
    body = ask(client, world.unit.credit_code, caizheng_token).json()
    assert body["result"] == "none" and body["key_monitoring"] is True
    assert body["supervision_tier"]["code"] == "key"
    assert body["certificate"] is None


def test_a_unit_without_a_rating_answers_with_nulls(world, client, caizheng_token):
    body = ask(client, world.unit.credit_code, caizheng_token).json()
    assert body["result"] is None and body["stars"] is None and body["measures"] == []


def test_malformed_code_is_400_with_the_reason(world, client, caizheng_token):
    good = world.unit.credit_code
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    response = ask(client, wrong_check, caizheng_token)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_credit_code"
    assert "校验位" in response.json()["detail"]
    assert ask(client, "123", caizheng_token).status_code == 400


def test_unknown_unit_is_404(world, client, caizheng_token):
    response = ask(client, make_credit_code(777777), caizheng_token)
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_no_or_a_wrong_token_is_401(world, client, caizheng_token):
    missing = ask(client, world.unit.credit_code)
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    assert ask(client, world.unit.credit_code, "lkt_not-a-real-token").status_code == 401
    basic = client.get(
        f"/api/v1/units/{world.unit.credit_code}/rating", HTTP_AUTHORIZATION="Basic abc"
    )
    assert basic.status_code == 401


def test_a_revoked_token_is_401(world, client):
    token, raw = issue_token(
        department=Department.objects.get(short_name="财政"), actor=None, label="旧系统"
    )
    revoke_token(token)
    assert ask(client, world.unit.credit_code, raw).status_code == 401


def test_a_disabled_or_unlinked_department_is_403(world, client, caizheng_token):
    DepartmentLink.objects.filter(department__short_name="财政").update(is_enabled=False)
    assert ask(client, world.unit.credit_code, caizheng_token).status_code == 403
    _token, jiaotong = issue_token(
        department=Department.objects.get(short_name="交通运输"), actor=None, label="x"
    )
    assert ask(client, world.unit.credit_code, jiaotong).status_code == 403


def test_a_session_user_without_a_token_is_still_401(world, client_as):
    response = ask(client_as("bureau"), world.unit.credit_code)
    assert response.status_code == 401


def test_every_query_is_logged_with_who_asked_about_whom(world, client, caizheng_token):
    ask(client, world.unit.credit_code, caizheng_token)
    ask(client, "bad", caizheng_token)
    ask(client, world.unit.credit_code)
    log = list(
        ApiQuery.objects.order_by("pk").values_list(
            "department__short_name", "credit_code", "status_code", "result"
        )
    )
    assert log == [
        ("财政", world.unit.credit_code, 200, "unrated"),
        ("财政", "bad", 400, "malformed"),
    ]


def test_calls_without_a_token_write_nothing_and_are_throttled_per_address(world, client, settings):
    settings.QUERY_API_RATE_PER_ADDRESS = "5/m"
    codes = [ask(client, world.unit.credit_code).status_code for _ in range(8)]
    assert codes == [401] * 5 + [429] * 3
    assert not ApiQuery.objects.exists()


def test_a_token_is_throttled_too(world, client, caizheng_token, settings):
    settings.QUERY_API_RATE_PER_TOKEN = "3/m"
    codes = [ask(client, world.unit.credit_code, caizheng_token).status_code for _ in range(5)]
    assert codes == [200] * 3 + [429] * 2


def test_a_nul_in_the_code_is_a_clear_400_and_logged_without_it(world, client, caizheng_token):
    response = client.get("/api/v1/units/%00/rating", HTTP_AUTHORIZATION=f"Bearer {caizheng_token}")
    assert response.status_code == 400 and response.json()["error"] == "invalid_credit_code"
    assert ApiQuery.objects.get().credit_code == ""


def test_the_api_is_described_for_openapi():
    from linkage.openapi import PATHS, SCHEMAS

    operation = PATHS["/api/v1/units/{credit_code}/rating"]["get"]
    assert set(operation["responses"]) == {"200", "400", "401", "403", "404"}
    assert {"UnitRating", "LinkageError"} <= set(SCHEMAS)
