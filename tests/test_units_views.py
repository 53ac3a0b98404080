import pytest

from portal.models import Notification, Role, User
from tests.conftest import sign_in
from units.credit_code import make_credit_code
from units.models import Area, Industry, Unit

pytestmark = pytest.mark.django_db


def registration(**overrides):
    data = {
        "name": "新郑市喆昇化工有限公司",
        "credit_code": make_credit_code(7001).lower(),
        "legal_representative": "赵堃",
        "address": "新郑市薛店镇工业园",
        "contact_name": "钱芳",
        "contact_phone": "13700000000",
        "username": "zhesheng",
        "display_name": "钱芳",
        "email": "qf@example.org",
        "password1": "Safe-Pass-2026",
        "password2": "Safe-Pass-2026",
        "area": Area.objects.get(name="薛店镇").pk,
        "industry": Industry.objects.get(name="危险化学品").pk,
    }
    data.update(overrides)
    return data


def test_enterprise_registers_and_bureau_approves(client, world):
    response = client.post("/units/register/", registration())
    assert response.status_code == 302
    unit = Unit.objects.get(credit_code=make_credit_code(7001))
    assert unit.status == Unit.Status.PENDING
    user = User.objects.get(username="zhesheng")
    assert user.unit == unit and user.role == Role.ENTERPRISE

    sign_in(client, world.users["bureau"])
    client.post(f"/units/{unit.pk}/review/", {"decision": "approve", "note": ""})
    unit.refresh_from_db()
    assert unit.status == Unit.Status.APPROVED
    assert Notification.objects.filter(recipient=user, subject__contains="已通过").exists()
    # A second click changes nothing and says so.
    response = client.post(
        f"/units/{unit.pk}/review/", {"decision": "reject", "note": "x"}, follow=True
    )
    assert "无需重复" in response.content.decode()
    unit.refresh_from_db()
    assert unit.status == Unit.Status.APPROVED


def test_wrong_credit_code_is_explained_next_to_the_field(client, world):
    code = make_credit_code(7002)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = client.post("/units/register/", registration(credit_code=wrong))
    page = response.content.decode()
    assert response.status_code == 200
    assert "校验位错误" in page
    assert not Unit.objects.filter(credit_code=wrong).exists()
    # Nothing typed is lost: the form comes back filled.
    assert "新郑市喆昇化工有限公司" in page


def test_duplicate_unit_is_refused(client, world):
    response = client.post("/units/register/", registration(credit_code=world.unit.credit_code))
    assert "已登记" in response.content.decode()
    assert not User.objects.filter(username="zhesheng").exists()


def test_enterprise_sees_only_its_own_unit(client_as, world):
    client = client_as("enterprise")
    assert client.get(f"/units/{world.unit.pk}/").status_code == 200
    assert client.get(f"/units/{world.other_unit.pk}/").status_code == 404


def test_township_list_holds_only_its_area(client_as, world):
    page = client_as("township").get("/units/").content.decode()
    assert world.unit.name in page
    assert world.other_unit.name not in page


def test_partial_chinese_name_search_with_two_characters(client_as, world):
    from tests.factories import UnitFactory

    UnitFactory(name="新郑市恒泰化工有限公司")
    UnitFactory(name="郑州化肥销售有限公司")
    page = client_as("bureau").get("/units/", {"q": "化工"}).content.decode()
    assert "新郑市恒泰化工有限公司" in page
    assert "郑州化肥销售有限公司" not in page


def test_exports_are_excel_friendly(client_as, world):
    response = client_as("bureau").get("/units/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert world.unit.credit_code in response.content.decode("utf-8-sig")
    assert client_as("township").get("/units/export.csv").status_code == 403


def test_state_changing_views_refuse_get(client_as, world):
    assert client_as("bureau").get(f"/units/{world.unit.pk}/review/").status_code == 405
