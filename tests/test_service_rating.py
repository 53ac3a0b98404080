"""好差评: the enterprise rates each finished service 1–5 once; 1–2 become tickets the bureau
answers within 15 working days; monthly figures on the public statistics page.

Rated on Monday 2026-09-28, a ticket counts 15 working days past the National Day holiday
(1–7 October) and the adjusted working Saturday 10 October: due Friday 2026-10-23.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Application, ServiceRating, Status, TransactionKind
from assessments.services.service_ratings import offer_service_rating
from portal.demo.publications import demo_cycle
from ratings.services import certificates
from tests.access.ratings import published_rating
from tests.evaluation_support import open_cycle
from tests.repair_support import on

pytestmark = pytest.mark.django_db

RATED = datetime.date(2026, 9, 28)
DUE = datetime.date(2026, 10, 23)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def receipt(world, client_as) -> ServiceRating:
    """The bureau accepts the unit's application: the receipt is a finished transaction."""
    application = Application.objects.create(
        cycle=open_cycle(),
        unit=world.unit,
        status=Status.SUBMITTED,
        self_report="本单位对照评分标准逐项自查。",
        self_score_total=Decimal("90"),
    )
    with on(RATED - 3 * DAY):
        client_as("bureau").post(
            reverse("assessments:accept", args=[application.pk]),
            {"expected_status": Status.SUBMITTED},
        )
    client_as("anonymous")
    return ServiceRating.objects.get(kind=TransactionKind.RECEIPT, object_id=application.pk)


def rate(client, rating, score, comment=""):
    return client.post(
        reverse("feedback:rate", args=[rating.pk]), {"score": score, "comment": comment}
    )


def test_the_receipt_is_offered_for_rating_on_the_enterprise_dashboard(client_as, receipt):
    assert receipt.reference  # the receipt number
    dashboard = client_as("enterprise").get(reverse("portal:dashboard")).content.decode()
    assert "待评价的服务" in dashboard and receipt.reference in dashboard


def test_a_good_rating_is_kept_once(client_as, receipt):
    client = client_as("enterprise")
    with on(RATED):
        assert rate(client, receipt, 5, "受理很快").status_code == 302
        again = rate(client, receipt, 1, "改主意了")
    assert again.status_code == 409 and "每个事项只能评价一次" in again.content.decode()
    receipt.refresh_from_db()
    assert (receipt.score, receipt.comment, receipt.due_on) == (5, "受理很快", None)
    page = client.get(reverse("feedback:mine")).content.decode()
    assert "已评价：5 分" in page


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("enterprise_other", 404), ("bureau", 403), ("department", 403), ("anonymous", 302)],
)
def test_only_the_unit_rates_its_own_transactions(client_as, receipt, persona, expected):
    response = rate(client_as(persona), receipt, 5)
    assert response.status_code == expected
    receipt.refresh_from_db()
    assert receipt.score is None


def test_a_score_outside_one_to_five_names_the_field(client_as, receipt):
    response = rate(client_as("enterprise"), receipt, 9)
    assert response.status_code == 400
    assert "评价" in response.content.decode() and "9" in response.content.decode()
    receipt.refresh_from_db()
    assert receipt.score is None


def test_a_poor_rating_is_a_ticket_due_in_fifteen_working_days(client_as, receipt):
    with on(RATED):
        assert rate(client_as("enterprise"), receipt, 2, "材料被退回三次").status_code == 302
    receipt.refresh_from_db()
    assert receipt.is_ticket and receipt.due_on == DUE
    for day, overdue in [(DUE - DAY, False), (DUE, False), (DUE + DAY, True)]:
        with on(day):
            client = client_as("bureau")
            dashboard = client.get(reverse("portal:dashboard")).content.decode()
            tickets = client.get(reverse("feedback:tickets")).content.decode()
        assert "答复期限 2026-10-23" in dashboard, day
        assert ("已逾期，答复期限 2026-10-23" in dashboard) is overdue, day
        assert "材料被退回三次" in tickets and "2026-10-23" in tickets
        assert ('class="badge text-bg-danger overdue"' in tickets) is overdue, day


def test_the_bureau_answers_a_ticket_once_and_the_enterprise_reads_it(client_as, receipt):
    with on(RATED):
        rate(client_as("enterprise"), receipt, 1, "窗口无人")
    url = reverse("feedback:ticket_answer", args=[receipt.pk])
    assert client_as("department").post(url, {"answer": "x"}).status_code == 403
    assert client_as("enterprise").post(url, {"answer": "x"}).status_code == 403
    with on(DUE):
        bureau = client_as("bureau")
        assert bureau.post(url, {"answer": ""}).status_code == 400
        assert bureau.post(url, {"answer": "已增设受理窗口。"}).status_code == 302
        assert bureau.post(url, {"answer": "再答一次"}).status_code == 409
    page = client_as("enterprise").get(reverse("feedback:mine")).content.decode()
    assert "监管局答复：已增设受理窗口。" in page
    receipt.refresh_from_db()
    assert receipt.answered_on == DUE


def test_a_good_rating_is_not_a_ticket(client_as, receipt):
    with on(RATED):
        rate(client_as("enterprise"), receipt, 4)
    url = reverse("feedback:ticket_answer", args=[receipt.pk])
    assert client_as("bureau").post(url, {"answer": "谢谢"}).status_code == 404


def test_monthly_figures_on_the_public_statistics_page(client, client_as, receipt, world):
    with on(RATED):
        rate(client_as("enterprise"), receipt, 2, "慢")
    with on(DUE):
        client_as("bureau").post(
            reverse("feedback:ticket_answer", args=[receipt.pk]), {"answer": "已改进"}
        )
    client.logout()
    page = client.get(reverse("stats:public")).content.decode()
    assert "政务服务好差评（按月）" in page
    row = page[page.index("2026-09") :].split("</tr>")[0]
    cells = [cell.split("<")[0] for cell in row.split('class="text-end">')[1:]]
    assert cells == ["1", "2.0", "0（0%）", "1", "1"]


def test_issued_certificates_and_the_objection_hook_offer_a_rating(world):
    done = published_rating(demo_cycle(2018, is_open=False), world.unit, world.users)
    [certificate] = certificates.issue_certificates(done)
    offered = ServiceRating.objects.get(kind=TransactionKind.CERTIFICATE)
    assert (offered.unit, offered.object_id, offered.reference) == (
        world.unit,
        certificate.pk,
        certificate.number,
    )
    # The generic hook other stages call (an objection decision, say) is idempotent.
    first = offer_service_rating(
        unit=world.unit, kind=TransactionKind.OBJECTION_DECISION, obj=certificate
    )
    again = offer_service_rating(
        unit=world.unit, kind=TransactionKind.OBJECTION_DECISION, obj=certificate
    )
    assert first.pk == again.pk
