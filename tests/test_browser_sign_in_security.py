"""What a person meets at sign-in in Debian's chromium: a bureau clerk without an authenticator
enrols by QR, keeps the recovery codes shown once, and reaches the dashboard; a signed-in user
left idle sees the warning before the timeout and stays signed in with one click. The page's
clock is Playwright's, moved on without waiting."""

import base64
import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-pass-123"


def test_bureau_clerk_enrols_an_authenticator_by_qr_and_reaches_the_dashboard(
    page, live_server, world
):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "bureau")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/two-factor/enrol/"))
    expect(page.get_by_role("img", name="身份验证器二维码").locator("svg")).to_be_visible()
    # The clerk's phone reads the same secret the page offers for typing.
    secret = page.locator("[data-totp-secret]").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=world.users["bureau"], confirmed=False)
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    code = str(TOTP(device.bin_key).token()).zfill(6)
    page.get_by_label("验证码").fill(code)
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_text("这些恢复码只显示这一次")).to_be_visible()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_idle_warning_appears_before_the_timeout_and_continue_keeps_the_session(
    page, live_server, world
):
    base = live_server.url
    page.clock.install()
    sign_in_page(page, base, "ent", PASSWORD)
    page.goto(f"{base}/dashboard/")
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("27:00")
    expect(warning).to_be_hidden()
    page.clock.fast_forward("01:30")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("2分钟后将自动退出登录")
    with page.expect_response(re.compile(r"/accounts/sessions/keepalive/")) as kept:
        warning.get_by_role("button", name="继续使用").click()
    assert kept.value.status == 204
    expect(warning).to_be_hidden()
