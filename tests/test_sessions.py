"""Session limits: 30 idle minutes, 12 hours in all, one's own sessions listed and ended.
A frozen clock (time-machine) stands in for waiting."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from portal.models import SignedInSession
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def test_thirty_idle_minutes_sign_the_user_out_with_a_message(client, world):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.users["enterprise"])
        assert client.get("/dashboard/").status_code == 200
        clock.move_to(start + 29 * MINUTE)
        assert client.get("/dashboard/").status_code == 200  # activity restarts the count
        clock.move_to(start + 58 * MINUTE)
        assert client.get("/dashboard/").status_code == 200
        clock.move_to(start + 89 * MINUTE)
        response = client.get("/dashboard/", follow=True)
        assert response.redirect_chain[0][0] == "/accounts/login/?next=/dashboard/"
        assert "30分钟未操作" in response.content.decode()
        assert client.get("/dashboard/").status_code == 302  # signed out for good


def test_the_idle_timeout_is_a_setting_and_applies_to_bureau_staff(client, world, settings):
    settings.SESSION_IDLE_TIMEOUT = 10 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.users["bureau"])
        assert client.get("/dashboard/").status_code == 200
        clock.move_to(start + 11 * MINUTE)
        assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_twelve_hours_end_a_session_however_busy(client, world):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.users["township"])
        for minutes in range(20, 12 * 60, 20):
            clock.move_to(start + minutes * MINUTE)
            assert client.get("/dashboard/").status_code == 200, minutes
        clock.move_to(start + (12 * 60 + 1) * MINUTE)
        response = client.get("/dashboard/", follow=True)
        assert "登录已超过12小时" in response.content.decode()


def test_continue_button_keeps_an_idle_session(client, world):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, world.users["enterprise"])
        page = client.get("/dashboard/").content.decode()
        assert 'data-idle-seconds="1800"' in page and 'data-warning-seconds="120"' in page
        clock.move_to(start + 28 * MINUTE)
        assert client.post("/accounts/sessions/keepalive/").status_code == 204
        clock.move_to(start + 50 * MINUTE)
        assert client.get("/dashboard/").status_code == 200
        assert client.get("/accounts/sessions/keepalive/").status_code == 405


def test_a_user_sees_their_sessions_and_ends_another_one(world):
    user = world.users["enterprise"]
    laptop, phone = Client(HTTP_USER_AGENT="Laptop"), Client(HTTP_USER_AGENT="Phone")
    sign_in(laptop, user)
    sign_in(phone, user)
    laptop.get("/dashboard/")
    phone.get("/dashboard/")
    listing = laptop.get("/accounts/sessions/").content.decode()
    assert listing.count("<tr data-session>") == 2 and "当前会话" in listing
    phones = SignedInSession.objects.get(user=user, session_key=phone.session.session_key)
    ended = laptop.post("/accounts/sessions/", {"session": phones.pk}, follow=True)
    assert "已结束该会话" in ended.content.decode()
    assert phone.get("/dashboard/")["Location"].startswith("/accounts/login/")
    assert laptop.get("/dashboard/").status_code == 200


def test_nobody_ends_or_sees_another_users_session(world):
    owner, intruder = Client(), Client()
    sign_in(owner, world.users["enterprise"])
    sign_in(intruder, world.users["enterprise_other"])
    owner.get("/dashboard/")
    owners = SignedInSession.objects.get(user=world.users["enterprise"])
    assert f'value="{owners.pk}"' not in intruder.get("/accounts/sessions/").content.decode()
    refused = intruder.post("/accounts/sessions/", {"session": owners.pk}, follow=True)
    assert "没有找到这个会话" in refused.content.decode()
    assert owner.get("/dashboard/").status_code == 200
    for junk in ("", "abc", "\x00", "9" * 40, "-1"):
        response = intruder.post("/accounts/sessions/", {"session": junk}, follow=True)
        assert response.status_code == 200 and "没有找到这个会话" in response.content.decode()


def test_signing_out_removes_the_session_from_the_list(client, world):
    sign_in(client, world.users["enterprise"])
    client.get("/dashboard/")
    assert SignedInSession.objects.filter(user=world.users["enterprise"]).count() == 1
    client.post("/accounts/logout/")
    assert SignedInSession.objects.filter(user=world.users["enterprise"]).count() == 0
