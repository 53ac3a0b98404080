"""A department reads its inbox, acknowledges, records measures; the bureau oversees."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from linkage.models import DepartmentLink, MeasureTaken, Notice, PolicyVersion
from linkage.services import delivery, inbox
from portal.models import Notification
from tests.factories import UnitFactory
from tests.publication_support import publish_results
from units.models import Area, Department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def published(world):
    ratings = publish_results([(world.unit, 5), (world.other_unit, 0)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    return ratings


def caizheng_notice(unit) -> Notice:
    return Notice.objects.get(unit=unit, department__short_name="财政")


def test_department_sees_its_own_notices_with_the_measures(published, world, client_as):
    page = client_as("department").get("/linkage/inbox/")
    text = page.content.decode()
    assert page.status_code == 200
    assert world.unit.name in text and world.other_unit.name in text
    assert page.context["page"].paginator.count == 2


def test_inbox_filters_by_result_area_and_acknowledgement(published, world, client_as):
    client = client_as("department")
    only_none = client.get("/linkage/inbox/", {"result": "none"}).context["page"]
    assert [n.unit for n in only_none] == [world.other_unit]
    away = Area.objects.get(name="龙王乡")
    assert [n.unit for n in client.get("/linkage/inbox/", {"area": away.pk}).context["page"]] == [
        world.other_unit
    ]
    inbox.acknowledge(user=world.users["department"], notice_ids=[caizheng_notice(world.unit).pk])
    pending = client.get("/linkage/inbox/", {"acknowledged": "no"}).context["page"]
    assert [n.unit for n in pending] == [world.other_unit]


def test_inbox_tells_the_years_apart_and_filters_by_cycle(published, world, client_as):
    later = publish_results([(world.unit, 3)], year=2026)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    client = client_as("department")
    rows = client.get("/linkage/inbox/").content.decode()
    assert "<td>2025</td>" in rows and "<td>2026</td>" in rows
    only_2026 = client.get("/linkage/inbox/", {"cycle": later[0].cycle_id}).context["page"]
    assert [n.rating for n in only_2026] == later


def test_department_acknowledges_several_notices_at_once(published, world, client_as):
    client = client_as("department")
    ids = [caizheng_notice(world.unit).pk, caizheng_notice(world.other_unit).pk]
    assert client.get("/linkage/inbox/acknowledge/").status_code == 405
    response = client.post("/linkage/inbox/acknowledge/", {"notice": ids}, follow=True)
    assert "已签收 2 条通报" in response.content.decode()
    assert not Notice.objects.filter(pk__in=ids, acknowledged_at__isnull=True).exists()


def test_department_cannot_acknowledge_another_departments_notices(published, world, client_as):
    gongan = Notice.objects.get(unit=world.unit, department__short_name="公安")
    client_as("department").post("/linkage/inbox/acknowledge/", {"notice": [gongan.pk]})
    gongan.refresh_from_db()
    assert gongan.acknowledged_at is None


def test_department_reading_another_departments_notice_gets_404(published, world, client_as):
    notice = caizheng_notice(world.unit)
    assert client_as("department").get(f"/linkage/notices/{notice.pk}/").status_code == 200
    assert client_as("department_other").get(f"/linkage/notices/{notice.pk}/").status_code == 404
    measure = client_as("department_other").post(
        f"/linkage/notices/{notice.pk}/measure/",
        {"kind": "granted", "note": "x", "taken_on": "2026-01-02"},
    )
    assert measure.status_code == 404
    assert not MeasureTaken.objects.exists()


def test_department_records_the_measure_taken(published, world, client_as):
    notice = caizheng_notice(world.other_unit)
    client = client_as("department")
    response = client.post(
        f"/linkage/notices/{notice.pk}/measure/",
        {"kind": "restricted", "note": "暂停该单位专项资金申报", "taken_on": "2026-01-05"},
        follow=True,
    )
    assert "暂停该单位专项资金申报" in response.content.decode()
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None  # recording a measure implies it was read
    assert notice.measures_taken.get().kind == MeasureTaken.Kind.RESTRICTED


def test_a_measure_dated_in_the_future_is_refused_with_a_message(published, world, client_as):
    notice = caizheng_notice(world.unit)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client_as("department").post(
        f"/linkage/notices/{notice.pk}/measure/",
        {"kind": "granted", "note": "贴息", "taken_on": future},
    )
    assert response.status_code == 400
    assert "实施日期不能晚于今天" in response.content.decode()
    assert not MeasureTaken.objects.exists()


def test_inbox_query_count_stays_flat_as_notices_grow(
    world, client_as, django_assert_max_num_queries
):
    client = client_as("department")
    publish_results([(u, 4) for u in UnitFactory.create_batch(2)], year=2024)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    with django_assert_max_num_queries(12) as few:
        client.get("/linkage/inbox/")
    publish_results([(u, 4) for u in UnitFactory.create_batch(30)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/linkage/inbox/")


def test_unacknowledged_notices_are_chased_after_the_bureau_deadline(published, world):
    DepartmentLink.objects.filter(department__short_name="财政").update(ack_deadline_days=3)
    inbox.acknowledge(user=world.users["department"], notice_ids=[caizheng_notice(world.unit).pk])
    now = timezone.now()

    assert inbox.send_ack_reminders(now + datetime.timedelta(days=2)) == 0
    later = now + datetime.timedelta(days=4)
    reminded = inbox.send_ack_reminders(later)
    assert reminded >= 1
    reminder = Notification.objects.get(recipient=world.users["department"])
    assert "1 条联动通报超过 3 天未签收" in reminder.subject
    # Run again the same day (beat may repeat): no second reminder.
    inbox.send_ack_reminders(later + datetime.timedelta(hours=1))
    assert Notification.objects.filter(recipient=world.users["department"]).count() == 1


def test_bureau_sees_delivered_acknowledged_and_acted_per_department(published, world, client_as):
    notice = caizheng_notice(world.other_unit)
    inbox.record_measure(
        user=world.users["department"],
        notice=notice,
        kind="restricted",
        note="限制",
        taken_on=timezone.localdate(),
    )
    page = client_as("bureau").get("/linkage/departments/")
    caizheng = next(d for d in page.context["departments"] if d.short_name == "财政")
    assert (caizheng.written, caizheng.delivered, caizheng.acknowledged, caizheng.acted) == (
        2,
        2,
        1,
        1,
    )


def test_bureau_edits_the_matrix_as_a_new_version(world, client_as):
    client = client_as("bureau")
    form = client.get("/linkage/policy/edit/").context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    caizheng = Department.objects.get(short_name="财政")
    data.update(note="增加贴息措施", **{f"measure_4_{caizheng.pk}": "给予贷款贴息。"})
    missing = dict(data, **{f"measure_3_{caizheng.pk}": ""})
    refused = client.post("/linkage/policy/edit/", missing)
    assert refused.status_code == 400 and "须填写措施内容" in refused.content.decode()
    assert PolicyVersion.objects.count() == 1

    client.post("/linkage/policy/edit/", data)
    current = PolicyVersion.objects.current()
    assert current.number == 2 and current.created_by == world.users["bureau"]
    assert current.rules.get(result="4", department=caizheng).measure == "给予贷款贴息。"
    assert (
        PolicyVersion.objects.get(number=1).rules.get(result="4", department=caizheng).measure
        != "给予贷款贴息。"
    )


def test_bureau_exports_reports_for_a_date_range(published, world, client_as):
    inbox.acknowledge(user=world.users["department"], notice_ids=[caizheng_notice(world.unit).pk])
    today = timezone.localdate().isoformat()
    query = {"date_from": today, "date_to": today, "group_by": "department"}
    client = client_as("bureau")
    csv_text = client.get("/linkage/reports/", {**query, "export": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines()[0].startswith("部门,通报数,已送达,已签收")
    assert "财政,2,2,1,0" in csv_text
    workbook = load_workbook(
        io.BytesIO(client.get("/linkage/reports/", {**query, "export": "xlsx"}).content)
    )
    assert workbook.sheetnames == ["汇总", "通报明细"]
    assert workbook["通报明细"].max_row == 21  # header + 2 units x 10 departments
    empty = client.get(
        "/linkage/reports/", {**query, "date_from": "2020-01-01", "date_to": "2020-01-31"}
    )
    assert empty.context["rows"] == []
    backwards = client.get(
        "/linkage/reports/", {**query, "date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "截止日期不能早于起始日期" in backwards.content.decode()
