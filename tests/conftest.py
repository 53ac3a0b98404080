"""Personas per role, and a small world they act in.

Every persona has a twin of the same role bound to another unit, area or department, so that
each test can check the denial as well as the success.
"""

import os
import shutil
from dataclasses import dataclass, field

import pytest

from portal.models import Role
from tests.factories import UnitFactory, UserFactory
from units.models import Area, Department

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API keeps an event loop in the test thread; Django's async-safety check would
# refuse the ORM calls tests make beside it. The live server itself runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class World:
    unit: object
    other_unit: object
    users: dict = field(default_factory=dict)

    def user(self, persona: str):
        return self.users.get(persona)


PERSONAS = [
    "anonymous",
    "enterprise",
    "enterprise_other",
    "township",
    "township_other",
    "supervisor",
    "supervisor_other",
    "bureau",
    "expert",
    "expert_other",
    "government",
    "department",
    "department_other",
    # 三权分立: three administrators, each an account of its own, none of them bureau staff.
    "sysadmin",
    "secadmin",
    "auditadmin",
]


def ensure_reference_data() -> None:
    """Data migrations load these; transactional tests flush them, so put them back."""
    from django.apps import apps

    from assessments.defaults import load_default_standard
    from linkage.defaults import load_default_policy
    from ratings.services.repair import load_default_periods
    from units.defaults import load_reference_data

    load_reference_data(apps)
    load_default_standard(apps)
    load_default_policy(apps)
    load_default_periods(apps)


def build_world() -> World:
    from assessments.models import Expert

    ensure_reference_data()
    home = Area.objects.get(name="新建路街道")
    away = Area.objects.get(name="龙王乡")
    zhujian = Department.objects.get(short_name="住建")
    jiaotong = Department.objects.get(short_name="交通运输")
    unit = UnitFactory(area=home, supervising_department=zhujian)
    other_unit = UnitFactory(area=away, supervising_department=jiaotong)
    users = {
        "enterprise": UserFactory(role=Role.ENTERPRISE, unit=unit, username="ent"),
        "enterprise_other": UserFactory(role=Role.ENTERPRISE, unit=other_unit, username="ent2"),
        "township": UserFactory(role=Role.TOWNSHIP, area=home, username="town"),
        "township_other": UserFactory(role=Role.TOWNSHIP, area=away, username="town2"),
        "supervisor": UserFactory(role=Role.SUPERVISOR, department=zhujian, username="sup"),
        "supervisor_other": UserFactory(role=Role.SUPERVISOR, department=jiaotong, username="sup2"),
        "bureau": UserFactory(role=Role.BUREAU, username="bureau"),
        "expert": UserFactory(role=Role.EXPERT, username="expert"),
        "expert_other": UserFactory(role=Role.EXPERT, username="expert2"),
        "government": UserFactory(role=Role.GOVERNMENT, username="gov"),
        "department": UserFactory(
            role=Role.DEPARTMENT,
            department=Department.objects.get(short_name="财政"),
            username="dept",
        ),
        "department_other": UserFactory(
            role=Role.DEPARTMENT,
            department=Department.objects.get(short_name="公安"),
            username="dept2",
        ),
        "sysadmin": UserFactory(role=Role.SYSTEM_ADMIN, username="sysadmin"),
        "secadmin": UserFactory(role=Role.SECURITY_ADMIN, username="secadmin"),
        "auditadmin": UserFactory(role=Role.AUDIT_ADMIN, username="auditadmin"),
    }
    for persona in ("expert", "expert_other"):
        Expert.objects.create(
            user=users[persona],
            name=f"{persona}专家",
            field="综合",
            qualification="注册安全工程师",
            phone="13900000000",
        )
    return World(unit=unit, other_unit=other_unit, users=users)


@pytest.fixture
def world(db) -> World:
    return build_world()


def sign_in(client, user):
    """Sign the test client in as ``user`` with the second factor the account owes.

    force_login stands for the password step; for an account that must use two-factor
    authentication the session then records a verified authenticator exactly as
    ``django_otp.login`` does after a right code, so every request still passes through the
    real middleware (tests/test_two_factor.py drives the verification page itself).
    """
    from django_otp import DEVICE_ID_SESSION_KEY

    from portal.demo.two_factor import enrolled_device

    client.force_login(user)
    if user.requires_two_factor:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
        session.save()
    return client


def sign_in_page(page, base: str, username: str, password: str) -> None:
    """Sign in through the real pages: password, then a second-factor code if one is owed."""
    from portal.demo.two_factor import enrolled_device, sign_in_code
    from portal.models import User

    user = User.objects.get(username=username)
    if user.requires_two_factor:
        enrolled_device(user)  # the user's phone holds the authenticator before signing in
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    if user.requires_two_factor:
        page.wait_for_url("**/accounts/two-factor/verify/**")
        page.fill("#id_token", sign_in_code(user))
        page.click("main form button[type=submit] >> nth=0")


@pytest.fixture
def client_as(client, world):
    """``client_as("bureau")`` returns the test client signed in as that persona."""

    def sign_in_as(persona: str):
        client.logout()
        if persona != "anonymous":
            sign_in(client, world.users[persona])
        return client

    return sign_in_as


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    """Transactional tests flush the content types that this process has cached; a stale cache
    would then insert duplicates (e.g. when auditlog or permissions look a model up)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _chinese_until_asked():
    """A request in English leaves the thread's language active after it; every test starts
    in the portal's default language, as a new visitor would."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_rules_kept_from_another_test():
    """The linkage rules a process keeps for a second (linkage/selectors.py) may be those of a
    version an earlier test wrote and rolled back."""
    from linkage.selectors import forget_rules

    forget_rules()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def chromium_missing_reason() -> str | None:
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return None
    return "Debian's chromium is not installed (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        if any("browser" in item.keywords for item in items):
            raise pytest.UsageError(f"CI=true and {reason}: browser tests cannot run")
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _own_redis_namespace_starts_empty():
    """Rate-limit counters, cached pages and queued tasks left by an earlier, interrupted run
    must not decide this one; keys of `make run` or other checkouts are left alone."""
    import redis

    from tests.redis_namespace import empty_namespace

    try:
        empty_namespace()
    except redis.exceptions.ConnectionError:
        pass  # Redis down: the tests that need it say so themselves
