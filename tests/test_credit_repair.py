"""The key-monitoring list's public display periods and credit repair (信用修复), day by day.

Clock frozen with time-machine. The unit is published without a star on 2026-06-28 through the
real path; a general reason (score below 75) lists it for 3 months at least and 1 year at most.
The repair decision is due 10 working days after the application: applied on Monday
2026-09-28, the count skips the National Day holiday (1–7 October) and counts the adjusted
working Saturday 10 October, so the decision is due on Friday 2026-10-16.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import ServiceRating, TransactionKind
from linkage.models import DepartmentLink, Notice, WebhookDelivery
from linkage.models.notices import Event
from linkage.services.tokens import issue_token
from ratings.models import DisplayPeriod, Listing, RepairRequest
from tests.assessment_support import PDF_BYTES
from tests.redis_namespace import empty_namespace
from tests.repair_support import on, published_no_star
from units.models import Department

pytestmark = pytest.mark.django_db

LISTED = datetime.date(2026, 6, 28)
REPAIR_FROM = datetime.date(2026, 9, 28)
DISPLAY_ENDS = datetime.date(2027, 6, 28)
APPLIED = REPAIR_FROM
DUE = datetime.date(2026, 10, 16)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def no_broker(monkeypatch, settings):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)
    settings.PUBLIC_CACHE_SECONDS = 0  # the data decides (the cached page: its own test below)


@pytest.fixture
def listed(world):
    with on(LISTED):
        rating = published_no_star(world)
    return rating


def evidence():
    return SimpleUploadedFile("整改验收报告.pdf", PDF_BYTES, content_type="application/pdf")


def apply(client, listing, statement="已完成全部隐患整改并通过验收。"):
    return client.post(
        reverse("ratings:repair_apply", args=[listing.pk]),
        {"statement": statement, "evidence": evidence()},
    )


def public_sees_listing(client, unit) -> bool:
    client.logout()
    search = client.get(reverse("public:search"), {"q": unit.credit_code}).content.decode()
    api = client.get(reverse("api:ratings"), {"credit_code": unit.credit_code}).json()
    page = client.get(reverse("public:unit", args=[unit.credit_code]))
    seen = [unit.name in search, api["count"] == 1, page.status_code == 200]
    assert len(set(seen)) == 1, f"search, open data and unit page disagree: {seen}"
    if seen[0]:
        assert "列为事故隐患重点监控单位" in page.content.decode()
    return seen[0]


def department_api(client, unit) -> dict:
    _token, raw = issue_token(
        department=Department.objects.get(short_name="财政"), actor=None, label="审批系统"
    )
    return client.get(
        f"/api/v1/units/{unit.credit_code}/rating", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()


def test_a_general_listing_gets_its_dates_from_the_reference_periods(listed):
    listing = Listing.objects.get(rating=listed)
    assert listing.severity == "general"
    assert [reason["reason"] for reason in listing.reasons] == ["score"]
    assert listing.listed_on == LISTED
    assert listing.repair_from == REPAIR_FROM  # 3 months
    assert listing.display_ends_on == listing.longest_ends_on == DISPLAY_ENDS  # 1 year


def test_a_fatal_accident_veto_is_serious_one_to_three_years(world):
    with on(LISTED):
        rating = published_no_star(world, veto="V1", total="90.0")
    listing = Listing.objects.get(rating=rating)
    assert listing.severity == "serious"
    assert listing.reasons == [
        {"reason": "V1", "name": "考核周期内发生生产安全责任死亡事故", "severity": "serious"}
    ]
    assert listing.repair_from == datetime.date(2027, 6, 28)
    assert listing.display_ends_on == datetime.date(2029, 6, 28)


@pytest.mark.parametrize(
    ("day", "shown"),
    [(DISPLAY_ENDS - DAY, True), (DISPLAY_ENDS, False), (DISPLAY_ENDS + DAY, False)],
)
def test_public_display_ends_on_its_own_at_the_longest_period(client, listed, day, shown):
    with on(day):
        assert public_sees_listing(client, listed.unit) is shown
        payload = department_api(client, listed.unit)
    assert payload["key_monitoring"] is shown
    assert payload["result"] == ("none" if shown else "lifted")
    assert payload["listing"]["display_ends_on"] == DISPLAY_ENDS.isoformat()


@pytest.mark.parametrize(
    ("day", "open_"), [(REPAIR_FROM - DAY, False), (REPAIR_FROM, True), (REPAIR_FROM + DAY, True)]
)
def test_repair_opens_after_the_shortest_period_and_the_button_says_when(
    client_as, listed, day, open_
):
    listing = Listing.objects.get(rating=listed)
    with on(day):
        client = client_as("enterprise")
        page = client.get(reverse("ratings:repair_mine")).content.decode()
        response = apply(client, listing)
    if open_:
        assert "可于 2026-09-28 起申请" not in page
        assert 'name="evidence"' in page
        assert response.status_code == 302
        assert RepairRequest.objects.get(listing=listing).applied_on == day
    else:
        assert "最短公示期未满" in page and "可于 2026-09-28 起申请信用修复" in page
        assert "disabled" in page and 'name="evidence"' not in page
        assert response.status_code == 409
        assert "可于 2026-09-28 起申请信用修复" in response.content.decode()
        assert not RepairRequest.objects.exists()


def applied(client_as, listed) -> RepairRequest:
    with on(APPLIED):
        assert apply(client_as("enterprise"), Listing.objects.get(rating=listed)).status_code == 302
    return RepairRequest.objects.get()


def test_the_decision_is_due_in_ten_working_days_across_national_day(client_as, listed):
    repair = applied(client_as, listed)
    assert repair.due_on == DUE
    for day, overdue in [(DUE - DAY, False), (DUE, False), (DUE + DAY, True)]:
        with on(day):
            client = client_as("bureau")
            listing_page = client.get(reverse("ratings:repair_list")).content.decode()
            dashboard = client.get(reverse("portal:dashboard")).content.decode()
        assert "2026-10-16" in listing_page
        assert ("已逾期" in listing_page) is overdue, day
        assert ("已逾期，决定期限 2026-10-16" in dashboard) is overdue, day


def test_a_refusal_carries_its_reasons_and_the_listing_stays(client, client_as, listed):
    repair = applied(client_as, listed)
    with on(APPLIED + DAY):
        response = client_as("bureau").post(
            reverse("ratings:repair_decide", args=[repair.pk]),
            {"decision": "refuse", "reason": "重大隐患尚未整改到位，验收不合格。"},
        )
        assert response.status_code == 302
        page = client_as("enterprise").get(reverse("ratings:repair_mine")).content.decode()
        assert "不予修复" in page and "重大隐患尚未整改到位，验收不合格。" in page
        assert public_sees_listing(client, listed.unit)
        # Refused: the enterprise may apply again with new evidence.
        assert apply(client_as("enterprise"), repair.listing).status_code == 302
    assert not Notice.objects.filter(event=Event.LIFTED).exists()


def test_a_granted_repair_ends_display_and_tells_restricting_departments_the_same_day(
    client, client_as, listed
):
    restricted = set(
        Notice.objects.filter(rating=listed, event=Event.PUBLISHED, result="none").values_list(
            "department_id", flat=True
        )
    )
    assert restricted, "the policy restricts a no-star unit in some departments"
    hooked = Department.objects.get(short_name="财政")
    DepartmentLink.objects.filter(department=hooked).update(
        webhook_url="https://127.0.0.1:9/hook", is_enabled=True
    )
    repair = applied(client_as, listed)
    decided = APPLIED + 2 * DAY
    with on(decided):
        assert public_sees_listing(client, listed.unit)
        response = client_as("bureau").post(
            reverse("ratings:repair_decide", args=[repair.pk]),
            {"decision": "grant", "reason": "整改验收合格，准予信用修复。"},
            follow=True,
        )
        assert "已通知实施限制的联动部门" in response.content.decode()
        assert not public_sees_listing(client, listed.unit)
        payload = department_api(client, listed.unit)
        enterprise_page = client_as("enterprise").get(reverse("ratings:repair_mine"))
    assert payload["key_monitoring"] is False and payload["result"] == "lifted"
    assert payload["listing"]["repaired_on"] == decided.isoformat()
    lifted = Notice.objects.filter(rating=listed, event=Event.LIFTED)
    assert set(lifted.values_list("department_id", flat=True)) == restricted
    assert {notice.created_at.date() for notice in lifted} == {decided}
    assert all("整改验收合格" in notice.reason for notice in lifted)
    assert WebhookDelivery.objects.filter(notice__in=lifted, notice__department=hooked).exists()
    assert "已于 2026-09-30 停止公示" in enterprise_page.content.decode()
    # A finished transaction: the enterprise may rate the service.
    assert ServiceRating.objects.filter(
        kind=TransactionKind.REPAIR_DECISION, object_id=repair.pk, unit=listed.unit
    ).exists()
    # The departments and the bureau still read it in the archive, marked as repaired.
    with on(decided):
        insider = client_as("bureau").get(reverse("public:unit", args=[listed.unit.credit_code]))
    assert "信用修复，停止公示" in insider.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("enterprise_other", 404), ("anonymous", 302), ("department", 403), ("bureau", 403)],
)
def test_only_the_unit_itself_may_apply(client_as, listed, persona, expected):
    listing = Listing.objects.get(rating=listed)
    with on(REPAIR_FROM):
        response = apply(client_as(persona), listing)
    assert response.status_code == expected
    if expected == 302:
        assert "/accounts/login/" in response["Location"]
    assert not RepairRequest.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("enterprise", 403), ("enterprise_other", 403), ("department", 403), ("anonymous", 302)],
)
def test_only_the_bureau_decides(client_as, listed, persona, expected):
    repair = applied(client_as, listed)
    with on(APPLIED):
        response = client_as(persona).post(
            reverse("ratings:repair_decide", args=[repair.pk]),
            {"decision": "grant", "reason": "自行准予"},
        )
    assert response.status_code == expected
    assert RepairRequest.objects.get().is_pending


def test_a_decision_is_taken_once_and_needs_a_reason(client_as, listed):
    repair = applied(client_as, listed)
    url = reverse("ratings:repair_decide", args=[repair.pk])
    with on(APPLIED):
        client = client_as("bureau")
        missing = client.post(url, {"decision": "refuse", "reason": ""})
        assert missing.status_code == 400 and "决定理由" in missing.content.decode()
        assert client.post(url, {"decision": "grant", "reason": "合格"}).status_code == 302
        again = client.post(url, {"decision": "refuse", "reason": "再议"})
    assert again.status_code == 409 and "不能重复决定" in again.content.decode()
    assert RepairRequest.objects.get().status == "granted"


def test_an_executable_renamed_pdf_is_refused_as_evidence(client_as, listed):
    listing = Listing.objects.get(rating=listed)
    with on(REPAIR_FROM):
        response = client_as("enterprise").post(
            reverse("ratings:repair_apply", args=[listing.pk]),
            {
                "statement": "已整改",
                "evidence": SimpleUploadedFile("报告.pdf", b"MZ\x90\x00" + b"\x00" * 64),
            },
        )
    assert response.status_code == 400
    assert "整改证明材料" in response.content.decode()
    assert not RepairRequest.objects.exists()


def test_the_bureau_edits_the_periods_and_new_listings_follow(client_as, world):
    period = DisplayPeriod.objects.get(reason="score")
    url = reverse("ratings:display_period_edit", args=[period.pk])
    client = client_as("bureau")
    wrong = client.post(url, {"severity": "general", "shortest_months": 13, "longest_months": 12})
    assert wrong.status_code == 400 and "最短公示期不能长于最长公示期" in wrong.content.decode()
    saved = client.post(url, {"severity": "general", "shortest_months": 6, "longest_months": 24})
    assert saved.status_code == 302
    assert client_as("department").post(url, {"shortest_months": 1}).status_code == 403
    with on(LISTED):
        rating = published_no_star(world)
    listing = Listing.objects.get(rating=rating)
    assert listing.repair_from == datetime.date(2026, 12, 28)
    assert listing.display_ends_on == datetime.date(2028, 6, 28)


def test_a_cached_public_page_does_not_outlive_the_display_period(client, listed, settings):
    """The public cache's version includes the day: no job has to clear it at midnight."""
    settings.PUBLIC_CACHE_SECONDS = 300
    empty_namespace()
    url = reverse("public:unit", args=[listed.unit.credit_code])
    with on(DISPLAY_ENDS - DAY, hour=23):
        assert "列为事故隐患重点监控单位" in client.get(url).content.decode()
        assert "列为事故隐患重点监控单位" in client.get(url).content.decode()  # from the cache
    with on(DISPLAY_ENDS, hour=0):
        assert client.get(url).status_code == 404
