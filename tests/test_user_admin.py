"""三权分立: three administrators, one role per account, and the system administrator's user
management pages (create, change role, deactivate, reset a password)."""

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.models import Role, User
from tests.factories import UserFactory
from units.models import Area

pytestmark = pytest.mark.django_db


def _new_account(**overrides):
    data = {
        "username": "zhang_town",
        "display_name": "张三",
        "email": "zhang@example.org",
        "phone": "13912345678",
        "role": Role.TOWNSHIP,
        "area": Area.objects.get(name="龙王乡").pk,
    }
    data.update(overrides)
    return data


def test_an_account_holds_one_known_role_and_never_superuser_powers(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role="sysadmin,auditadmin")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.AUDIT_ADMIN, is_superuser=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.SECURITY_ADMIN, unit=world.unit)


def test_bureau_staff_no_longer_read_the_audit_log(client_as, world):
    assert client_as("bureau").get("/audit/").status_code == 403
    assert client_as("sysadmin").get("/audit/").status_code == 403
    assert client_as("secadmin").get("/audit/export.csv").status_code == 403
    assert client_as("auditadmin").get("/audit/").status_code == 200


def test_audit_administrator_reads_the_log_and_nothing_else(client_as, world):
    client = client_as("auditadmin")
    for name in ("units:list", "portal:user_list", "linkage:departments", "assessments:queue"):
        assert client.get(reverse(name)).status_code == 403, name


def test_system_administrator_creates_an_account_that_must_change_its_password(client_as, world):
    response = client_as("sysadmin").post("/users/new/", _new_account())
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    account = User.objects.get(username="zhang_town")
    assert account.must_change_password
    assert account.check_password(password)
    entry = LogEntry.objects.get_for_object(account).get(action=LogEntry.Action.CREATE)
    assert entry.actor == world.users["sysadmin"]


def test_a_role_needs_its_binding_and_the_message_names_the_field(client_as, world):
    response = client_as("sysadmin").post("/users/new/", _new_account(area=""))
    assert response.status_code == 400
    assert "该角色必须选择所属乡镇街道" in response.content.decode()
    assert not User.objects.filter(username="zhang_town").exists()


def test_administrator_roles_cannot_be_given_through_the_pages(client_as, world):
    client = client_as("sysadmin")
    response = client.post("/users/new/", _new_account(role=Role.AUDIT_ADMIN, area=""))
    assert response.status_code == 400
    enterprise = world.users["enterprise"]
    data = _new_account(role=Role.AUDIT_ADMIN, area="", username=enterprise.username)
    assert client.post(f"/users/{enterprise.pk}/", data).status_code == 400
    enterprise.refresh_from_db()
    assert enterprise.role == Role.ENTERPRISE


def test_administrator_accounts_are_out_of_the_system_administrators_reach(client_as, world):
    client = client_as("sysadmin")
    for persona in ("secadmin", "auditadmin", "sysadmin"):
        pk = world.users[persona].pk
        assert client.get(f"/users/{pk}/").status_code == 404
        assert client.post(f"/users/{pk}/password/").status_code == 404
        assert client.post(f"/users/{pk}/active/", {"active": "0"}).status_code == 404
    listing = client.get("/users/").content.decode()
    assert "auditadmin" not in listing and "ent2" in listing


def test_a_role_change_is_in_the_audit_log(client_as, world):
    account = world.users["township_other"]
    data = _new_account(
        username=account.username, role=Role.ENTERPRISE, area="", unit=world.other_unit.pk
    )
    response = client_as("sysadmin").post(f"/users/{account.pk}/", data)
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.unit, account.area) == (Role.ENTERPRISE, world.other_unit, None)
    entry = LogEntry.objects.get_for_object(account).filter(action=LogEntry.Action.UPDATE).last()
    assert entry.actor == world.users["sysadmin"]
    assert entry.changes_dict["role"] == ["township", "enterprise"]


def test_deactivated_account_cannot_sign_in_and_a_second_click_changes_nothing(client_as, world):
    account = world.users["expert_other"]
    client = client_as("sysadmin")
    client.post(f"/users/{account.pk}/active/", {"active": "0"})
    account.refresh_from_db()
    assert not account.is_active
    anonymous = client_as("anonymous")
    anonymous.post("/accounts/login/", {"username": account.username, "password": "Test-pass-123"})
    assert "_auth_user_id" not in anonymous.session
    client = client_as("sysadmin")
    response = client.post(f"/users/{account.pk}/active/", {"active": "0"}, follow=True)
    assert "账号状态未变" in response.content.decode()


def test_password_reset_sets_the_first_sign_in_flag_and_is_audited(client_as, world):
    account = world.users["expert_other"]
    response = client_as("sysadmin").post(f"/users/{account.pk}/password/")
    password = response.context["password"]
    account.refresh_from_db()
    assert account.must_change_password
    assert not account.check_password("Test-pass-123")
    assert account.check_password(password)
    event = LogEntry.objects.get(additional_data__event="password_reset_by_admin")
    assert (event.actor, event.object_pk) == (world.users["sysadmin"], str(account.pk))
    assert password not in str(event.changes)


def test_hostile_input_gets_a_message_naming_the_field(client_as, world):
    client = client_as("sysadmin")
    for name in ("张\x00三", "张\n三"):
        response = client.post("/users/new/", _new_account(display_name=name))
        assert response.status_code == 400
        assert 'id="id_display_name_error"' in response.content.decode()
    response = client.post("/users/new/", _new_account(username="../../etc"))
    assert response.status_code == 400
    assert client.get("/users/", {"q": "\x00", "page": "x"}).status_code == 200
    assert client.post("/users/new/", _new_account(username="a" * 5000)).status_code == 400
    assert User.objects.filter(display_name__startswith="张").count() == 0


def test_each_administrators_dashboard_shows_what_that_role_looks_after(client_as, world):
    world.users["expert_other"].must_change_password = True
    world.users["expert_other"].save()
    page = client_as("sysadmin").get(reverse("portal:dashboard")).content.decode()
    assert "待首次改密码" in page and reverse("portal:user_list") in page
    page = client_as("auditadmin").get(reverse("portal:dashboard")).content.decode()
    assert "近 24 小时登录失败" in page and "待首次改密码" not in page
    page = client_as("secadmin").get(reverse("portal:dashboard")).content.decode()
    assert "有效的接口令牌" in page
