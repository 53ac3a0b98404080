"""The bureau's acceptance queue: find, take, assign, return with reasons, accept, receipt."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Application, Status
from assessments.services import acceptance, self_assessment
from assessments.services.reminders import send_deadline_reminders
from portal.models import Notification
from tests.assessment_support import check_pdf, complete_draft, open_cycle, sign
from tests.factories import UnitFactory, UserFactory
from units.models import Area, Industry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(world):
    return open_cycle()


def submitted_for(cycle, unit, user):
    application = complete_draft(cycle, unit, user)
    return self_assessment.submit(application=application, actor=user, expected_status=Status.DRAFT)


def another_submission(cycle):
    unit = UnitFactory()
    return submitted_for(cycle, unit, UserFactory(role="enterprise", unit=unit))


@pytest.fixture
def application(world, cycle):
    return submitted_for(cycle, world.unit, world.users["enterprise"])


def detail(application):
    return reverse("assessments:application_detail", args=[application.pk])


def test_queue_shows_submitted_applications_with_unassigned_ones_marked(
    client_as, world, cycle, application
):
    page = client_as("bureau").get(reverse("assessments:queue")).content.decode()
    assert world.unit.name in page
    assert 'class="table-warning"' in page and "未分配" in page


def test_queue_filters_by_area_industry_and_date(client_as, world, cycle, application):
    away = Area.objects.get(name="龙王乡")
    other = submitted_for(cycle, world.other_unit, world.users["enterprise_other"])
    client = client_as("bureau")
    page = client.get(reverse("assessments:queue"), {"area": away.pk}).content.decode()
    assert world.other_unit.name in page and world.unit.name not in page
    industry = Industry.objects.exclude(pk=world.unit.industry_id).first()
    page = client.get(reverse("assessments:queue"), {"industry": industry.pk}).content.decode()
    assert world.unit.name not in page
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page = client.get(reverse("assessments:queue"), {"submitted_from": tomorrow}).content.decode()
    assert world.unit.name not in page and other.unit.name not in page


def test_queue_query_count_is_constant(client_as, world, cycle, django_assert_max_num_queries):
    client = client_as("bureau")
    for _ in range(2):
        another_submission(cycle)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("assessments:queue"))
    for _ in range(12):
        another_submission(cycle)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assessments:queue"))


def test_take_assign_and_put_back(client_as, world, application):
    colleague = UserFactory(role="bureau", username="colleague", display_name="王同事")
    client = client_as("bureau")
    url = reverse("assessments:handler", args=[application.pk])
    client.post(url, {"action": "take", "expected_handler": ""})
    assert Application.objects.get(pk=application.pk).handler == world.users["bureau"]
    client.post(
        url,
        {
            "action": "assign",
            "colleague": colleague.pk,
            "expected_handler": world.users["bureau"].pk,
        },
    )
    assert Application.objects.get(pk=application.pk).handler == colleague
    assert Notification.objects.filter(recipient=colleague, subject__contains="交给您").exists()
    client.post(url, {"action": "release", "expected_handler": colleague.pk})
    assert Application.objects.get(pk=application.pk).handler is None


def test_two_clerks_taking_at_once_the_second_is_told(client_as, world, application):
    client = client_as("bureau")
    url = reverse("assessments:handler", args=[application.pk])
    colleague = UserFactory(role="bureau", username="colleague")
    acceptance.set_handler(
        application=application, actor=colleague, handler=colleague, expected_handler_id=None
    )
    response = client.post(url, {"action": "take", "expected_handler": ""}, follow=True)
    assert "经办人已变更" in response.content.decode()
    assert Application.objects.get(pk=application.pk).handler == colleague


def test_return_with_reasons_reaches_the_enterprise_who_fixes_and_resubmits(
    client_as, world, application
):
    bureau = client_as("bureau")
    response = bureau.post(
        reverse("assessments:return", args=[application.pk]),
        {
            "expected_status": "submitted",
            "reason_codes": ["evidence_missing", "report_incomplete"],
            "reason": "请补充4.2项专户存储凭证",
        },
    )
    assert response.url == detail(application)
    enterprise = client_as("enterprise")
    page = enterprise.get(detail(application)).content.decode()
    assert "证明材料不全" in page and "自查报告内容不完整" in page
    assert "请补充4.2项专户存储凭证" in page
    assert "请按下方退回原因修改后重新提交" in page
    enterprise.post(
        reverse("assessments:submit", args=[application.pk]), {"expected_status": "returned"}
    )
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    handler = world.users["bureau"]
    assert Notification.objects.filter(recipient=handler, subject__contains="重新提交").exists()
    timeline = enterprise.get(detail(application)).content.decode()
    assert timeline.count("→") == 3  # submitted, returned, resubmitted


def test_return_without_a_reason_is_refused(client_as, world, application):
    response = client_as("bureau").post(
        reverse("assessments:return", args=[application.pk]),
        {"expected_status": "submitted", "reason": "x"},
        follow=True,
    )
    assert "请至少选择一项退回原因" in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_accept_issues_the_receipt_pdf(client_as, world, application):
    client_as("bureau").post(
        reverse("assessments:accept", args=[application.pk]), {"expected_status": "submitted"}
    )
    accepted = Application.objects.get(pk=application.pk)
    assert accepted.status == Status.ACCEPTED
    enterprise = client_as("enterprise")
    page = enterprise.get(detail(application)).content.decode()
    assert "下载《受理回执单》" in page and "专家" in page
    response = enterprise.get(reverse("assessments:receipt_pdf", args=[application.pk]))
    check_pdf(
        response.content,
        "receipt",
        ["申请受理回执单", accepted.receipt_number, world.unit.name, "予以受理"],
    )


def test_enterprise_cannot_accept_its_own_application(client_as, world, application):
    response = client_as("enterprise").post(
        reverse("assessments:accept", args=[application.pk]), {"expected_status": "submitted"}
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_bureau_dashboard_lists_unassigned_applications(client_as, world, application):
    page = client_as("bureau").get(reverse("portal:dashboard")).content.decode()
    assert "待受理的评估申请（未分配）" in page and world.unit.name in page


def test_deadline_reminders_reach_units_that_still_owe(world):
    today = timezone.localdate()
    cycle = open_cycle(
        pledge_deadline=today + datetime.timedelta(days=3),
        application_deadline=today + datetime.timedelta(days=7),
    )
    sign(cycle, world.unit, world.users["enterprise"])
    sent = send_deadline_reminders(today)
    assert sent == 2
    assert Notification.objects.get(recipient=world.users["enterprise_other"]).subject.startswith(
        "请于"
    )
    assert "评估申请" in Notification.objects.get(recipient=world.users["enterprise"]).subject
    assert send_deadline_reminders(today + datetime.timedelta(days=1)) == 0


def test_archive_lists_pledge_application_form_and_receipt(world, application):
    from public.archive import timeline

    acceptance.accept(
        application=application, actor=world.users["bureau"], expected_status=Status.SUBMITTED
    )
    kinds = {entry.kind: entry for entry in timeline(world.unit, world.users["township"])}
    assert {"pledge", "application", "receipt"} <= set(kinds)
    assert kinds["receipt"].url.endswith("receipt.pdf")
    public = timeline(world.unit, None)
    assert not [entry for entry in public if entry.kind in ("pledge", "application", "receipt")]


@pytest.mark.django_db(transaction=True)
def test_receipt_numbers_are_unique_when_accepted_at_the_same_moment(monkeypatch):
    from tests.assessment_support import ensure_reference_data, keep_email_out_of_the_broker
    from tests.conftest import build_world

    ensure_reference_data()
    keep_email_out_of_the_broker(monkeypatch)
    build_world()
    cycle = open_cycle()
    applications = [another_submission(cycle) for _ in range(4)]
    clerks = [UserFactory(role="bureau", username=f"clerk{n}") for n in range(4)]
    barrier = threading.Barrier(len(applications))
    errors = []

    def accept(application, clerk):
        try:
            barrier.wait()
            acceptance.accept(
                application=application, actor=clerk, expected_status=Status.SUBMITTED
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=pair)
        for pair in zip(applications, clerks, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Application.objects.values_list("receipt_number", flat=True))
    year = cycle.year
    assert numbers == [f"新安诚受〔{year}〕{n:04d}号" for n in range(1, 5)]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_the_same_application_at_once_accept_it_once(monkeypatch):
    """Two tabs or two colleagues, the same click at the same moment: the row lock lets one
    through, the other is told the state has moved on, and one transition is recorded."""
    from assessments.models import ApplicationTransition
    from portal.refusals import Refused
    from tests.assessment_support import ensure_reference_data, keep_email_out_of_the_broker
    from tests.conftest import build_world

    ensure_reference_data()
    keep_email_out_of_the_broker(monkeypatch)
    build_world()
    application = another_submission(open_cycle())
    clerks = [UserFactory(role="bureau", username=f"twin{n}") for n in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(clerk):
        try:
            barrier.wait()
            acceptance.accept(
                application=application, actor=clerk, expected_status=Status.SUBMITTED
            )
            outcomes.append("accepted")
        except Refused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(clerk,)) for clerk in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert ApplicationTransition.objects.filter(application=application, name="accept").count() == 1
    receipt = Application.objects.get(pk=application.pk).receipt_number
    assert receipt.endswith("0001号")
