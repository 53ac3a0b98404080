"""Second factor at sign-in: bureau, government and administrator accounts must use an
authenticator (TOTP); others may. Enrolment by QR, recovery codes shown once, through the real
sign-in page and the real middleware."""

import re
import time

import pytest
import time_machine
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.demo.two_factor import enrolled_device, sign_in_code
from portal.models import ADMIN_ROLES, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Test-pass-123"


def password_step(client, username, next_url=""):
    data = {"username": username, "password": PASSWORD}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    response = client.post(url, data)
    assert response.status_code == 302, "the password step itself must succeed"
    return client.get(response["Location"])


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


def test_bureau_with_a_password_alone_is_sent_to_enrol_and_cannot_reach_its_pages(client, world):
    page = password_step(client, "bureau")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/enrol/")
    for url in ("/dashboard/", "/units/", "/audit/", "/notifications/"):
        refused = client.get(url)
        assert refused.status_code == 302
        assert refused["Location"].startswith("/accounts/two-factor/enrol/"), url


def test_bureau_enrols_by_qr_sees_recovery_codes_once_and_goes_on(client, world):
    password_step(client, "bureau")
    enrol = client.get("/accounts/two-factor/enrol/?next=/units/")
    html = enrol.content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=world.users["bureau"], confirmed=False)
    shown_secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", html).group(1)
    import base64

    typed = shown_secret.replace(" ", "")
    assert base64.b32decode(typed + "=" * (-len(typed) % 8)) == device.bin_key

    wrong = client.post("/accounts/two-factor/enrol/", {"token": "000000", "next": "/units/"})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    # A wrong code makes the next try wait a second (django-otp's throttle): the clock moves on.
    with time_machine.travel(time.time() + 3, tick=False):
        done = client.post(
            "/accounts/two-factor/enrol/", {"token": current_code(device), "next": "/units/"}
        )
    assert done.status_code == 302
    codes_page = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page)
    assert len(codes) == 10
    assert 'href="/units/"' in codes_page
    again = client.get(done["Location"]).content.decode()
    assert not set(codes) & set(re.findall(r"<li>([a-z2-7]{8})</li>", again)), "shown once only"
    assert client.get("/units/").status_code == 200


def test_government_with_an_authenticator_must_verify_and_a_used_code_is_refused(
    client, world, django_user_model
):
    government = world.users["government"]
    device = enrolled_device(government)
    page = password_step(client, "gov", next_url="/dashboard/")
    assert page["Location"].startswith("/accounts/two-factor/verify/")
    assert client.get("/dashboard/")["Location"].startswith("/accounts/two-factor/verify/")
    refused = client.post(
        "/accounts/two-factor/verify/", {"token": "123456", "next": "/dashboard/"}
    )
    assert "验证码不正确" in refused.content.decode()
    code = sign_in_code(government)
    device.throttle_reset()
    accepted = client.post("/accounts/two-factor/verify/", {"token": code, "next": "/dashboard/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200

    # The same code from another browser a moment later: refused (a code signs in once).
    from django.test import Client

    other = Client()
    password_step(other, "gov")
    replay = other.post("/accounts/two-factor/verify/", {"token": code})
    assert "验证码不正确或已使用过" in replay.content.decode()


def test_a_recovery_code_signs_in_once(client, world):
    bureau = world.users["bureau"]
    enrolled_device(bureau)
    from portal import two_factor

    codes = two_factor.new_recovery_codes(bureau)
    password_step(client, "bureau")
    ok = client.post("/accounts/two-factor/verify/", {"token": codes[0].upper()})
    assert ok.status_code == 302 and ok["Location"] == "/dashboard/"
    client.logout()
    password_step(client, "bureau")
    again = client.post("/accounts/two-factor/verify/", {"token": codes[0]})
    assert again.status_code == 200
    assert two_factor.recovery_codes_left(bureau) == 9


def test_wrong_codes_are_throttled_even_before_the_right_one(client, world):
    bureau = world.users["bureau"]
    device = enrolled_device(bureau)
    password_step(client, "bureau")
    for _ in range(3):
        client.post("/accounts/two-factor/verify/", {"token": "111111"})
    response = client.post("/accounts/two-factor/verify/", {"token": current_code(device)})
    assert response.status_code == 200
    assert "错误次数过多" in response.content.decode()


@pytest.mark.parametrize("token", ["\x00\x00\x00", "a/b", "1" * 5000, "<script>", "１２３４５６"])
def test_hostile_codes_get_a_message_not_an_error(client, world, token):
    enrolled_device(world.users["bureau"])
    password_step(client, "bureau")
    response = client.post("/accounts/two-factor/verify/", {"token": token})
    assert response.status_code == 200
    assert 'id="id_token_error"' in response.content.decode()


def test_verification_never_redirects_off_the_site(client, world):
    bureau = world.users["bureau"]
    enrolled_device(bureau)
    password_step(client, "bureau")
    for target in ("https://evil.example/x", "//evil.example/x", "javascript:alert(1)"):
        client.logout()
        password_step(client, "bureau")
        response = client.post(
            "/accounts/two-factor/verify/", {"token": sign_in_code(bureau), "next": target}
        )
        assert response.status_code == 302 and response["Location"] == "/dashboard/", target


def test_enterprise_signs_in_with_a_password_and_may_enrol_of_its_own_accord(client, world):
    page = password_step(client, "ent")
    assert page.status_code == 200  # the dashboard, no second factor asked
    enterprise = world.users["enterprise"]
    client.get("/accounts/two-factor/enrol/")
    device = TOTPDevice.objects.get(user=enterprise)
    client.post("/accounts/two-factor/enrol/", {"token": current_code(device)})
    # From now on the enterprise is asked for its code too, and may remove the authenticator.
    client.logout()
    page = password_step(client, "ent")
    assert page.status_code == 302 and "/two-factor/verify/" in page["Location"]
    client.post("/accounts/two-factor/verify/", {"token": sign_in_code(enterprise)})
    client.post("/accounts/two-factor/", {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=enterprise).exists()
    client.logout()
    assert password_step(client, "ent").status_code == 200


def test_an_account_that_must_use_two_factor_cannot_remove_it(client_as, world):
    client = client_as("bureau")
    response = client.post("/accounts/two-factor/", {"action": "remove"}, follow=True)
    assert "不能解除" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.users["bureau"], confirmed=True).exists()


def test_who_must_use_two_factor_is_one_rule():
    must = [
        UserFactory.build(role=Role.BUREAU),
        UserFactory.build(role=Role.GOVERNMENT),
        UserFactory.build(role=Role.EXPERT, is_staff=True),
        UserFactory.build(role=Role.DEPARTMENT, is_superuser=True),
        *(UserFactory.build(role=role) for role in ADMIN_ROLES),
    ]
    may = [UserFactory.build(role=role) for role in Role.values]
    assert all(user.requires_two_factor for user in must)
    assert {u.role for u in may if not u.requires_two_factor} == {
        Role.ENTERPRISE,
        Role.TOWNSHIP,
        Role.SUPERVISOR,
        Role.EXPERT,
        Role.DEPARTMENT,
    }


def test_demo_accounts_are_enrolled_and_demo_totp_prints_a_working_code(client, settings, capsys):
    from portal.demo import accounts, reference, units

    lines = []
    for step in (reference, units, accounts):  # seed_demo's first steps
        step.run(lines.append)
    out = "\n".join(lines)
    assert re.search(r"bureau\s+密钥 [A-Z2-7 ]{20,}", out)
    assert re.search(r"government\s+密钥 [A-Z2-7 ]{20,}", out)
    settings.DEBUG = True
    call_command("demo_totp", "bureau")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    response = client.post("/accounts/login/", {"username": "bureau", "password": "Demo-2026!"})
    assert response.status_code == 302
    verified = client.post("/accounts/two-factor/verify/", {"token": code})
    errors = re.findall(r'id="id_token_error"[^>]*>([^<]*)<', verified.content.decode())
    assert verified.status_code == 302 and verified["Location"] == "/dashboard/", errors
    assert client.get("/dashboard/").status_code == 200


def test_demo_totp_refuses_to_run_outside_a_local_demo(world, settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_totp", "bureau")


def test_second_factor_successes_and_failures_are_in_the_audit_log(client, world):
    from auditlog.models import LogEntry

    bureau = world.users["bureau"]
    enrolled_device(bureau)
    from portal import two_factor

    codes = two_factor.new_recovery_codes(bureau)
    password_step(client, "bureau")
    client.post("/accounts/two-factor/verify/", {"token": "654321"})
    client.post("/accounts/two-factor/verify/", {"token": codes[0]})

    def events(code):
        return LogEntry.objects.filter(additional_data__event=code, actor=bureau)

    assert events("2fa_failed").count() == 1
    assert events("2fa_recovery_used").count() == 1
    assert "654321" not in str(list(events("2fa_failed").values()))
