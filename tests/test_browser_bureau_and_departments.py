"""The bureau's and the departments' pages in real Chromium, in Chinese and in English.

Date inputs hold their default: the bureau's linkage report counts on the first click of 统计,
and a department records a measure on the first save without retyping the date. A
department's inbox tells notices of different years apart and its filters look like the rest
of the portal."""

import re

import pytest
from auditlog.context import set_actor
from django.utils import timezone
from playwright.sync_api import expect

from linkage.models import MeasureTaken, Notice
from linkage.services import delivery, inbox
from tests.conftest import ensure_reference_data, sign_in_page
from tests.publication_support import publish_results

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-pass-123"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


def signed_in(browser, base, username, language):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(base + "/")
    page.select_option("#language-select", language)
    page.click(".lang-switch button[type=submit]")
    sign_in_page(page, base, username, PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/"))
    failures = []
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    return page, failures


def input_value(page, name):
    return page.locator(f"input[name={name}]").evaluate("input => input.value")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_linkage_report_counts_on_the_first_click(browser, live_server, world, language):
    ensure_reference_data()
    today = timezone.localdate()
    page, failures = signed_in(browser, live_server.url, "bureau", language)
    page.goto(live_server.url + "/linkage/reports/")
    assert input_value(page, "date_from") == today.replace(month=1, day=1).isoformat()
    assert input_value(page, "date_to") == today.isoformat()

    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("main table")).to_be_visible()
    expect(page.locator(".invalid-feedback")).to_have_count(0)
    assert failures == []
    page.context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_department_records_a_measure_on_the_first_save(browser, live_server, world, language):
    ensure_reference_data()
    publish_results([(world.unit, 4)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    notice = Notice.objects.get(unit=world.unit, department__short_name="财政")
    page, failures = signed_in(browser, live_server.url, "dept", language)
    page.goto(f"{live_server.url}/linkage/notices/{notice.pk}/")
    assert input_value(page, "taken_on") == timezone.localdate().isoformat()

    page.select_option("select[name=kind]", "granted")
    page.fill("textarea[name=note]", "已给予财政资金扶持")
    page.locator("form[action$='/measure/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/linkage/notices/{notice.pk}/$"))
    expect(page.locator("main")).to_contain_text("已给予财政资金扶持")
    assert MeasureTaken.objects.filter(notice=notice, taken_on=timezone.localdate()).exists()
    assert failures == []
    page.context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_department_inbox_shows_each_notices_year_with_styled_filters(
    browser, live_server, world, language
):
    ensure_reference_data()
    publish_results([(world.unit, 4)], year=2024)
    publish_results([(world.other_unit, 0)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    page, failures = signed_in(browser, live_server.url, "dept", language)
    page.goto(live_server.url + "/linkage/inbox/")

    rows = page.locator("main tbody tr")
    expect(rows.filter(has_text=world.unit.name)).to_contain_text("2024")
    expect(rows.filter(has_text=world.other_unit.name)).to_contain_text("2025")
    filters = page.get_by_role("search").locator("select")
    expect(filters).to_have_count(4)
    # Bootstrap's .form-select draws its own arrow; a bare select keeps the browser's.
    looks = filters.evaluate_all("all => all.map(s => getComputedStyle(s).appearance)")
    assert looks == ["none"] * 4

    filters.first.select_option(label="2024")
    page.get_by_role("search").locator("button[type=submit]").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(world.unit.name)
    assert failures == []
    page.context.close()


def line_count(cell) -> int:
    """How many lines the browser broke a cell's text into."""
    return cell.evaluate(
        """td => { const range = document.createRange(); range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"""
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_audit_log_reads_in_local_time_with_operators_on_one_line(
    browser, live_server, world, language
):
    ensure_reference_data()
    department = world.users["department"]
    department.display_name = "市财政局经办人"
    department.save()
    publish_results([(world.unit, 4)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    notice = Notice.objects.get(unit=world.unit, department__short_name="财政")
    with set_actor(department):  # what the middleware does for the department's request
        inbox.record_measure(
            user=department,
            notice=notice,
            kind="granted",
            note="安排专项资金贴息" * 20,
            taken_on=timezone.localdate(),
        )
    page, failures = signed_in(browser, live_server.url, "auditadmin", language)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + "/audit/")

    rows = page.locator("main tbody tr")
    measure_row = rows.filter(has_text="安排专项资金贴息").first
    expect(measure_row).to_contain_text("市财政局经办人")
    expect(measure_row).not_to_contain_text("object (")
    operator = measure_row.locator("td").nth(1)
    assert line_count(operator) == 1, operator.inner_text()
    shown = measure_row.locator("td").first.inner_text()
    logged = timezone.localtime(MeasureTaken.objects.get().created_at)
    assert shown.startswith(logged.strftime("%Y-%m-%d %H:%M")), shown
    assert failures == []
    page.context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bureau_dashboard_names_problems_in_words(browser, live_server, world, language):
    from linkage.models import WebhookDelivery
    from portal import service_status

    ensure_reference_data()
    service_status.forget()  # the suite runs no worker: the dashboard must say so in words
    publish_results([(world.unit, 4)], year=2025)
    WebhookDelivery.objects.create(
        notice=Notice.objects.filter(unit=world.unit).first(),
        status=WebhookDelivery.Status.FAILED,
        attempts=6,
        last_error="ConnectionError: [Errno 111] Connection refused",
    )
    page, failures = signed_in(browser, live_server.url, "bureau", language)
    main = page.locator("main")
    # The services card (a sign-in notice about recovery codes is a status too).
    expect(main.locator("section[role=status]")).to_contain_text("Celery")
    expect(main).not_to_contain_text("Errno")
    expect(main).not_to_contain_text("0 条未答复")
    if language == "en":
        expect(main).to_contain_text("Cannot connect to the receiving system")
    else:
        expect(main).to_contain_text("无法连接对方系统")
    assert failures == []
    service_status.forget()
    page.context.close()
