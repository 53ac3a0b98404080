"""Password rules of 等保 level 3 through the real change form: three of four character
classes and ten characters, none of the last five again, a change every 90 days, and a
password set by someone else changed at the first sign-in."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from portal import passwords
from portal.models import PasswordHistory

pytestmark = pytest.mark.django_db
OLD = "Test-pass-123"


def change(client, old, new):
    return client.post(
        "/accounts/password/change/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize(
    "weak, why",
    [
        ("abcdefghijkl", "至少3类"),  # one class
        ("abcdefgh1234", "至少3类"),  # two classes
        ("Abcdef12!", "至少须有10个字符"),  # three classes, nine characters
    ],
)
def test_weak_passwords_are_refused_with_the_rule_named(client_as, weak, why):
    response = change(client_as("enterprise"), OLD, weak)
    assert response.status_code == 200
    assert why in response.content.decode()


def test_a_password_of_three_classes_and_ten_characters_is_accepted(client_as, world):
    response = change(client_as("enterprise"), OLD, "Abcdefgh12")
    assert response.status_code == 302
    world.users["enterprise"].refresh_from_db()
    assert world.users["enterprise"].check_password("Abcdefgh12")


def test_none_of_the_last_five_passwords_may_be_chosen_again(client_as, world):
    client = client_as("enterprise")
    chosen = [OLD] + [f"Rotation-{n}-pass" for n in range(1, 6)]
    for previous, new in zip(chosen, chosen[1:], strict=False):
        assert change(client, previous, new).status_code == 302
    current = chosen[-1]
    for reused in chosen[-5:]:
        refused = change(client, current, reused)
        assert refused.status_code == 200
        assert "最近5次" in refused.content.decode(), reused
    # The sixth-last is old enough again.
    assert change(client, current, chosen[0]).status_code == 302
    user = world.users["enterprise"]
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert all(row.password.startswith("md5$") for row in PasswordHistory.objects.all())


def test_a_password_older_than_90_days_must_be_changed_before_going_on(client, world):
    user = world.users["enterprise"]
    start = user.password_changed_at
    with time_machine.travel(start + datetime.timedelta(days=89), tick=False):
        client.post("/accounts/login/", {"username": "ent", "password": OLD})
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=91), tick=False):
        client.post("/accounts/login/", {"username": "ent", "password": OLD})
        refused = client.get("/dashboard/", follow=True)
        assert refused.redirect_chain[-1][0] == "/accounts/password/change/"
        assert "超过90天" in refused.content.decode()
        assert change(client, OLD, "Fresh-pass-2027").status_code == 302
        assert client.get("/dashboard/").status_code == 200


def test_the_expiry_is_a_setting(client, world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 30
    user = world.users["enterprise"]
    with time_machine.travel(user.password_changed_at + datetime.timedelta(days=31), tick=False):
        client.post("/accounts/login/", {"username": "ent", "password": OLD})
        assert client.get("/dashboard/")["Location"] == "/accounts/password/change/"


def test_a_password_set_by_an_administrator_is_changed_at_first_sign_in(client, world):
    user = world.users["enterprise"]
    passwords.set_by_administrator(user, "Given-by-admin-1")
    client.post("/accounts/login/", {"username": "ent", "password": "Given-by-admin-1"})
    for url in ("/dashboard/", "/notifications/", "/accounts/sessions/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/password/change/"
    page = client.get("/accounts/password/change/").content.decode()
    assert "由他人设置" in page
    assert change(client, "Given-by-admin-1", "Only-I-know-42").status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert client.get("/dashboard/").status_code == 200


def test_a_reset_by_e_mail_link_counts_as_the_holders_own_choice(client, world):
    import re

    user = world.users["enterprise"]
    passwords.set_by_administrator(user, "Given-by-admin-1")
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"/accounts/password/reset/[^\s]+/", mail.outbox[-1].body).group(0)
    form_url = client.get(link)["Location"]
    done = client.post(
        form_url, {"new_password1": "Reset-by-me-77", "new_password2": "Reset-by-me-77"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert user.password_changed_at > timezone.now() - datetime.timedelta(minutes=1)


def test_second_factor_comes_before_the_forced_password_change(client, world):
    """A bureau account made by an administrator: verify first, then change the password."""
    from portal.demo.two_factor import sign_in_code

    bureau = world.users["bureau"]
    passwords.set_by_administrator(bureau, "Given-by-admin-1")
    client.post("/accounts/login/", {"username": "bureau", "password": "Given-by-admin-1"})
    assert client.get("/dashboard/")["Location"].startswith("/accounts/two-factor/")
    assert client.get("/accounts/password/change/")["Location"].startswith("/accounts/two-factor/")
    client.post("/accounts/two-factor/verify/", {"token": sign_in_code(bureau)})
    assert client.get("/dashboard/")["Location"] == "/accounts/password/change/"
