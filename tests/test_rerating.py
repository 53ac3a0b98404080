"""Re-rating after rectification (issue #16, deliverable 4), through the Django client and the
real services: who may ask, when, how often; the bureau's decision with reasons; the new
result replacing the old one for the public, the departments and the certificate register."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from assessments.models import Application, ApplicationTransition, Kind, Status
from linkage.models import DepartmentLink, Notice, WebhookDelivery
from linkage.services import delivery
from portal.models import Notification
from portal.refusals import Refused
from ratings.models import Certificate, Rating, Rerating
from ratings.services import certificates, rerating
from tests.rerating_support import (
    at,
    evaluate,
    publish_result,
    rectification_pdf,
    through_publicity_and_confirmation,
)

pytestmark = pytest.mark.django_db

# Published on 1 July: three months later is 1 October, National Day, a public holiday. The
# waiting period counts calendar months (the request is made online), so the holiday moves
# nothing: 30 September too early, 1 October open.
PUBLISHED = datetime.date(2026, 7, 1)
DAY_BEFORE, DAY_OF, DAY_AFTER = (
    datetime.date(2026, 9, 30),
    datetime.date(2026, 10, 1),
    datetime.date(2026, 10, 2),
)


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def no_star(world):
    return publish_result(world, PUBLISHED, "70.0")


@pytest.fixture
def three_star(world):
    rating = publish_result(world, PUBLISHED, "80.0")
    certificates.issue_certificates(rating.publication)
    return rating


def ask(client, rating, statement="消防通道已清理，隐患整改经街道验收合格。", files=None):
    return client.post(
        reverse("ratings:rerating_request", args=[rating.pk]),
        {"statement": statement, "files": files if files is not None else [rectification_pdf()]},
    )


def why(client, rating) -> str:
    page = client.get(reverse("ratings:rating_detail", args=[rating.pk]))
    assert page.status_code == 200
    return page.context["availability"].reason


# --- when: the waiting period, with the clock frozen -------------------------------------


def test_the_button_says_when_the_day_before_the_period_ends(no_star, client_as):
    client = client_as("enterprise")
    with at(DAY_BEFORE):
        assert "2026-10-01 起可以申请" in why(client, no_star)
        page = client.get(reverse("ratings:rating_detail", args=[no_star.pk]))
        assert 'type="button" disabled' in page.content.decode()
        refused = ask(client, no_star)
    assert refused.status_code == 200
    assert "2026-10-01 起可以申请" in refused.content.decode()
    assert not Rerating.objects.exists()


@pytest.mark.parametrize("day", [DAY_OF, DAY_AFTER])
def test_the_unit_may_ask_on_the_day_the_period_ends_and_after(day, no_star, client_as):
    client = client_as("enterprise")
    with at(day):
        assert why(client, no_star) == ""
        response = ask(client, no_star)
    created = Rerating.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:rerating_detail", args=[created.pk])
    application = created.application
    assert (application.kind, application.status) == (Kind.RERATING, Status.SUBMITTED)
    assert application.cycle_id == no_star.cycle_id
    assert application.evidence.get().original_name == "整改验收记录.pdf"


@pytest.mark.parametrize(
    ("day", "allowed"),
    [
        (datetime.date(2026, 9, 19), False),  # Saturday, a day off
        (datetime.date(2026, 9, 20), True),  # Sunday, an adjusted working day (调休)
        (datetime.date(2026, 9, 21), True),
    ],
)
def test_an_adjusted_working_day_moves_nothing_either(day, allowed, world, client_as):
    from portal.working_days import is_working_day

    assert is_working_day(datetime.date(2026, 9, 20))  # the State Council calendar says so
    rating = publish_result(world, datetime.date(2026, 6, 20), "80.0")
    with at(day):
        reason = why(client_as("enterprise"), rating)
    assert (reason == "") is allowed
    if not allowed:
        assert "2026-09-20 起可以申请" in reason


def test_the_period_is_counted_to_the_last_day_of_a_shorter_month(world):
    rating = publish_result(world, datetime.date(2026, 11, 30), "70.0")
    assert rerating.opens_on(rating) == datetime.date(2027, 2, 28)
    assert not rerating.availability(rating, datetime.date(2027, 2, 27)).allowed
    assert rerating.availability(rating, datetime.date(2027, 2, 28)).allowed


def test_the_period_is_a_setting(no_star, settings):
    settings.RERATING_WAIT_MONTHS = 6
    assert rerating.opens_on(no_star) == datetime.date(2027, 1, 1)


# --- who and how often ---------------------------------------------------------------------


def test_another_unit_cannot_ask_about_or_read_this_units_rating(no_star, client_as):
    client = client_as("enterprise_other")
    with at(DAY_AFTER):
        assert client.get(reverse("ratings:rerating_request", args=[no_star.pk])).status_code == 404
        assert ask(client, no_star).status_code == 404
    assert not Rerating.objects.exists()


def test_a_four_star_unit_is_told_its_star_is_not_eligible(world, client_as):
    four = publish_result(world, PUBLISHED, "90.0")
    client = client_as("enterprise")
    with at(DAY_AFTER):
        assert "只有无星级或三星级的单位可以申请" in why(client, four)
        assert "四星级" in why(client, four)
        page = ask(client, four)
    assert "只有无星级或三星级的单位可以申请" in page.content.decode()
    assert not Rerating.objects.exists()


def test_a_second_request_in_the_cycle_is_refused_even_after_a_refusal(no_star, world, client_as):
    client = client_as("enterprise")
    with at(DAY_AFTER):
        ask(client, no_star)
        first = Rerating.objects.get()
        rerating.decide(
            rerating=first,
            actor=world.users["bureau"],
            accept=False,
            reason="整改证明只有照片，缺少验收记录。",
            expected_status=Status.SUBMITTED,
        )
        reason = why(client, no_star)
        assert "每个考核周期只能申请一次" in reason
        again = ask(client, no_star)
        assert again.status_code == 302  # to the request it already made
        with pytest.raises(Refused, match="每个考核周期只能申请一次"):
            rerating.request(
                rating=no_star,
                actor=world.users["enterprise"],
                statement="再次申请",
                files=[rerating_checked()],
            )
    assert Rerating.objects.count() == 1


def rerating_checked():
    from assessments.uploads import check_upload

    return check_upload(rectification_pdf())


def test_a_revoked_result_cannot_be_rerated(no_star, world):
    from ratings.services import publication

    publication.revoke(rating=no_star, reason="更正", actor=world.users["bureau"])
    no_star.refresh_from_db()
    assert "已撤销" in rerating.availability(no_star, DAY_AFTER).reason


# --- what the enterprise must bring: hostile input gets a message naming the field -------


def test_a_request_without_statement_or_evidence_names_the_fields(no_star, client_as):
    client = client_as("enterprise")
    with at(DAY_AFTER):
        page = ask(client, no_star, statement="  ", files=[])
    form = page.context["form"]
    assert set(form.errors) == {"statement", "files"}
    assert "请至少上传一个整改证明材料" in page.content.decode()
    assert not Rerating.objects.exists()


def test_an_executable_named_pdf_is_refused_by_its_content(no_star, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("验收.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    client = client_as("enterprise")
    with at(DAY_AFTER):
        page = ask(client, no_star, files=[fake])
    assert page.status_code == 200
    assert "文件“验收.pdf”的格式不被接受" in page.content.decode()
    assert not Application.objects.filter(kind=Kind.RERATING).exists()


# --- the bureau's decision ------------------------------------------------------------------


def test_the_bureau_refuses_with_reasons_the_enterprise_reads(no_star, world, client_as):
    with at(DAY_AFTER):
        ask(client_as("enterprise"), no_star)
        item = Rerating.objects.get()
        bureau = client_as("bureau")
        dashboard = bureau.get("/dashboard/").content.decode()
        assert "1 个整改后重新评级申请待受理" in dashboard
        Notification.objects.all().delete()
        assert bureau.get(reverse("ratings:rerating_decide", args=[item.pk])).status_code == 405
        bureau.post(
            reverse("ratings:rerating_decide", args=[item.pk]),
            {
                "decision": "refuse",
                "reason": "验收记录未加盖街道公章。",
                "expected_status": "submitted",
            },
        )
        page = client_as("enterprise").get(reverse("ratings:rerating_detail", args=[item.pk]))
    text = page.content.decode()
    assert "不予受理" in text and "验收记录未加盖街道公章。" in text
    record = ApplicationTransition.objects.get(application=item.application, name="refuse")
    assert record.reason == "验收记录未加盖街道公章。"
    # The enterprise is told in the portal; the change is in the audit log with its actor.
    told = Notification.objects.get(recipient=world.users["enterprise"])
    assert (told.subject, told.body) == ("您的重新评级申请不予受理", "验收记录未加盖街道公章。")
    logged = LogEntry.objects.get_for_object(item.application).filter(actor=world.users["bureau"])
    assert any(entry.changes_dict.get("status") == ["submitted", "refused"] for entry in logged)
    assert (
        client_as("enterprise_other")
        .get(reverse("ratings:rerating_detail", args=[item.pk]))
        .status_code
        == 404
    )


def test_a_decision_without_reasons_is_refused_with_a_message(no_star, client_as):
    with at(DAY_AFTER):
        ask(client_as("enterprise"), no_star)
        item = Rerating.objects.get()
        response = client_as("bureau").post(
            reverse("ratings:rerating_decide", args=[item.pk]),
            {"decision": "accept", "reason": ""},
            follow=True,
        )
    assert "理由（将告知申请单位）" in response.content.decode()
    item.application.refresh_from_db()
    assert item.application.status == Status.SUBMITTED


# --- the whole path: the new result replaces the old one -----------------------------------


def test_three_star_unit_rerated_to_four_stars_replaces_result_certificate_and_tells_departments(
    three_star, world, client_as
):
    old_certificate = three_star.certificate
    with at(DAY_AFTER):
        ask(client_as("enterprise"), three_star)
        item = Rerating.objects.get()
        client_as("bureau").post(
            reverse("ratings:rerating_decide", args=[item.pk]),
            {"decision": "accept", "reason": "材料齐全，受理。", "expected_status": "submitted"},
        )
        item.refresh_from_db()
        assert item.application.status == Status.ACCEPTED
        assert item.application.receipt_number
        evaluate(item, world.users, "88.0")
        # The evaluation report and the application's page read well for a re-rating.
        bureau = client_as("bureau")
        report = bureau.get(reverse("evaluation:report", args=[item.application_id]))
        assert (report.status_code, report["Content-Type"]) == (200, "application/pdf")
        detail = client_as("enterprise").get(
            reverse("assessments:application_detail", args=[item.application_id])
        )
        assert "这是整改后重新评级申请" in detail.content.decode()
        through_publicity_and_confirmation(item, world.users)
        # 财政 takes notices by webhook as well as in its inbox.
        DepartmentLink.objects.filter(department__short_name="财政").update(
            webhook_url="http://127.0.0.1:9/hook"
        )
        published = client_as("bureau").post(
            reverse("ratings:rerating_publish", args=[item.pk]),
            {"publish_on": DAY_AFTER.isoformat(), "document_number": "2"},
        )
        assert published.status_code == 302
        new = Rating.objects.get(application=item.application)
        certificates.start_job(publication=new.publication, actor=world.users["bureau"])
        delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))

        # The public and the API see the new result only; the old one is history.
        three_star.refresh_from_db()
        assert three_star.superseded_on == DAY_AFTER
        assert list(Rating.objects.current().filter(unit=world.unit)) == [new]
        assert new.star == 4
        assert list(Rating.objects.final().filter(unit=world.unit, cycle=new.cycle)) == [new]
        assert Rating.objects.filter(unit=world.unit, cycle=new.cycle).count() == 2

        # Open data: the year and the default view both hold the unit once, at four stars;
        # ``cycle=all`` keeps the replaced result as history.
        api = client_as("anonymous")
        for query in (f"cycle={new.cycle.year}", "", "cycle=all"):
            body = api.get(f"/api/v1/ratings/?credit_code={world.unit.credit_code}&{query}")
            stars = sorted(row["star"] for row in body.json()["results"])
            assert stars == ([3, 4] if query == "cycle=all" else [4]), query

        # The certificate register follows: the old one no longer verifies as current.
        old_certificate.refresh_from_db()
        assert old_certificate.state() == Certificate.State.EXPIRED
        verify = client_as("anonymous").get(
            reverse("public_ratings:verify", args=[old_certificate.verification_code])
        )
        assert "被新结果取代" in verify.content.decode()
        new_certificate = Certificate.objects.get(rating=new)
        assert new_certificate.state() == Certificate.State.VALID
        assert new_certificate.number != old_certificate.number

        # Every linked department is told, with why this notice replaces the earlier one.
        notices = Notice.objects.filter(rating=new)
        assert notices.count() == Notice.objects.filter(rating=three_star).count() > 0
        assert all("整改后重新评级结果，取代该单位" in n.reason for n in notices)
        hooked = Notice.objects.get(rating=new, department__short_name="财政")
        assert WebhookDelivery.objects.filter(notice=hooked).exists()
        sent = json.loads(delivery.payload(hooked))["data"]
        assert (sent["rating"]["star"], sent["reason"]) == (4, hooked.reason)
        inbox = client_as("department").get("/linkage/inbox/").content.decode()
        assert "四星级" in inbox

        # The enterprise's old rating points at the new one; the button is used up.
        old_page = client_as("enterprise").get(
            reverse("ratings:rating_detail", args=[three_star.pk])
        )
        assert "被整改后重新评级结果（四星级）取代" in old_page.content.decode()
        new_page = client_as("enterprise").get(reverse("ratings:rating_detail", args=[new.pk]))
        assert new_page.context["availability"].allowed is False


def test_the_rerating_gets_its_own_single_unit_window(no_star, world):
    with at(DAY_AFTER):
        item = rerating.request(
            rating=no_star,
            actor=world.users["enterprise"],
            statement="隐患已整改。",
            files=[rerating_checked()],
        )
        rerating.decide(
            rerating=item,
            actor=world.users["bureau"],
            accept=True,
            reason="受理。",
            expected_status=Status.SUBMITTED,
        )
        evaluate(item, world.users, "78.0")
        item.application.refresh_from_db()
        from django.utils import timezone

        batch = rerating.open_publicity(
            rerating=item,
            starts_at=timezone.now(),
            ends_at=timezone.now() + datetime.timedelta(days=5),
            actor=world.users["bureau"],
        )
    assert [i.application_id for i in batch.items.all()] == [item.application_id]
    assert world.unit.name in batch.title and "重新评级" in batch.title
