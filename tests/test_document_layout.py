"""The documents as a reader holds them: where the seal, the QR code, the closing words and
the headings land on the page (poppler's word positions, not the HTML)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Application, Pledge, SelfScore, Status
from assessments.receipts import check_code
from assessments.services import acceptance
from ratings.documents import bulletin_pdf, certificate_pdf, chinese_date
from tests.access.ratings import stage
from tests.assessment_support import open_cycle
from tests.evaluation_support import entries_totalling
from tests.pdf_layout import images, line_with, lines

pytestmark = pytest.mark.django_db

BUREAU = "新郑市安全生产监督管理局"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def the_seal(pdf: bytes):
    """The seal: the larger of the raster images on the last page (the other, if any, is the
    QR code, one pixel per module)."""
    found = images(pdf)[-1]
    assert 1 <= len(found) <= 2, found
    return max(found, key=lambda box: (box.right - box.left) * (box.bottom - box.top))


def assert_seal_leaves_readable(pdf: bytes, *texts: str) -> None:
    """The lines reading exactly ``texts`` (issuer, date) are on the last page, below the seal
    and clear of it."""
    last = lines(pdf)[-1]
    seal = the_seal(pdf)
    for text in texts:
        found = [line for line in last if line.text == text]
        assert len(found) == 1, (text, [line.text for line in last])
        assert not seal.intersects(found[0].box), (text, seal, found[0].box)
        assert seal.bottom <= found[0].box.top  # stands above them


# --- certificate ---


@pytest.mark.parametrize(
    "name", ["新郑市中原矿业股份有限公司", "郑州市华夏建筑工程有限公司", "新郑市建材有限公司"]
)
def test_certificate_closing_words_never_wrap_alone(world, name):
    s = stage(world)
    world.unit.name = name
    world.unit.save(update_fields=["name"])
    s.certificate.rating.unit.refresh_from_db()
    pages = lines(certificate_pdf(s.certificate))
    _, line = line_with(pages, "证。")
    assert re.search(r"单位。特发此证。$", line.text), line.text


def test_certificate_seal_stands_clear_of_the_issuer_and_date(world):
    s = stage(world)
    pdf = certificate_pdf(s.certificate)
    assert_seal_leaves_readable(pdf, BUREAU, chinese_date(s.certificate.issued_on))


# --- bulletin (通报) ---


def test_bulletin_seal_leaves_the_issuing_body_and_date_readable(world):
    s = stage(world)
    pdf = bulletin_pdf(s.publication)
    # The signature block's own lines, not the red header nor the 印发 line.
    assert_seal_leaves_readable(pdf, BUREAU, chinese_date(s.publication.publish_on))


# --- receipt (受理回执单) ---


@pytest.fixture
def receipt(world):
    cycle = open_cycle()
    application = Application.objects.create(
        cycle=cycle,
        unit=world.unit,
        status=Status.SUBMITTED,
        self_report="本单位对照评分标准逐项自查。",
        self_score_total=Decimal("90.0"),
        submitted_at=timezone.now(),
    )
    SelfScore.objects.bulk_create(
        SelfScore(application=application, item_id=pk, score=entry.score)
        for pk, entry in entries_totalling(cycle.standard, Decimal("90.0")).items()
    )
    return acceptance.accept(
        application=application, actor=world.users["bureau"], expected_status=Status.SUBMITTED
    )


def test_receipt_carries_the_seal_and_a_qr_code_to_its_public_check(
    receipt, client_as, client, world
):
    response = client_as("enterprise").get(reverse("assessments:receipt_pdf", args=[receipt.pk]))
    assert response.status_code == 200
    pdf = body(response)
    accepted_on = receipt.accepted_at.astimezone(timezone.get_current_timezone())
    accepted = f"{accepted_on.year}年{accepted_on.month}月{accepted_on.day}日"
    assert_seal_leaves_readable(pdf, BUREAU, accepted)
    text = "".join(line.text for page in lines(pdf) for line in page)
    check = reverse("assessments:receipt_check", args=[check_code(receipt)])
    assert check in text

    client.logout()
    page = client.get(check)
    assert page.status_code == 200
    html = page.content.decode()
    assert "真实有效" in html and receipt.receipt_number in html and world.unit.name in html


@pytest.mark.parametrize(
    "code",
    [
        "0",
        "1-abc",
        "99999999999999-0123456789abcdef0123",
        "1-0123456789abcdef0123",
        "x" * 5000,
        "1-0123456789abcdef012\x00",
        "%00",
        "..%2F..%2Fetc",
        "-1-0123456789abcdef0123",
    ],
)
def test_a_receipt_check_with_a_hostile_or_guessed_code_is_a_404(client, code):
    response = client.get(f"/assessments/receipts/check/{code}/")
    assert response.status_code == 404
    if "%2F" not in code:  # a slash leaves the route: Django's own 404
        assert "未找到该回执" in response.content.decode()


def test_a_receipt_code_does_not_check_another_receipt(receipt, client, world):
    other = Application.objects.create(
        cycle=receipt.cycle,
        unit=world.other_unit,
        receipt_number="新安诚受〔2026〕0999号",
        accepted_at=timezone.now(),
    )
    borrowed = f"{other.pk}-{check_code(receipt).split('-')[1]}"
    assert client.get(reverse("assessments:receipt_check", args=[borrowed])).status_code == 404
    assert (
        client.get(reverse("assessments:receipt_check", args=[check_code(other)])).status_code
        == 200
    )


# --- pledge (承诺书) ---


def test_pledge_signing_date_and_its_online_record_agree(client_as, world):
    cycle = open_cycle()
    client = client_as("enterprise")
    twenty_days_ago = timezone.localdate() - datetime.timedelta(days=20)
    client.post(
        reverse("assessments:pledge_sign"),
        {
            "signatory": "张伟",
            "signatory_title": "总经理",
            "signed_on": twenty_days_ago,
            "agree": "on",
        },
    )
    pledge = Pledge.objects.get(unit=world.unit, cycle=cycle)
    response = client.get(reverse("assessments:pledge_pdf", args=[pledge.pk]))
    text = "".join(line.text for page in lines(body(response)) for line in page)
    signed = re.search(r"签署人：张伟（总经理）(\d{4}年\d{1,2}月\d{1,2}日)", text).group(1)
    recorded = re.search(r"本承诺书于(\d{4}年\d{1,2}月\d{1,2}日)", text.replace(" ", "")).group(1)
    assert signed == recorded


# --- headings keep with what follows (申请表, 评估报告) ---

FOOTER = re.compile(r"^第\d+页/共\d+页$")


def headings_ending_a_page(pdf: bytes, headings: set[str]) -> list[str]:
    """The last row of text of every page but the last, when it is a heading."""
    found = []
    for page in lines(pdf)[:-1]:
        content = [line for line in page if not FOOTER.match(re.sub(r"\s", "", line.text))]
        bottom = max(line.box.top for line in content)
        row = sorted(
            (line for line in content if abs(line.box.top - bottom) < 3),
            key=lambda line: line.box.left,
        )
        text = re.sub(r"\s", "", "".join(line.text for line in row))
        if text in headings or re.match(r"^[一二三四五六七八九十]+、", text):
            found.append(text)
    return found


def test_no_category_heading_ends_a_page_of_the_application_form(world, client_as):
    from tests.evaluation_support import accepted_application

    application = accepted_application(world.unit, world.users["bureau"], self_total=Decimal("90"))
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now())
    headings = set()
    for category in application.cycle.standard.categories.all():
        headings |= {category.code, category.name, f"{category.code}{category.name}"}
    client = client_as("enterprise")
    stranded = []
    # Longer notes on the first items move every later row down, so that some layout would
    # put a category row last on a page.
    scores = list(
        SelfScore.objects.filter(application=application).order_by(
            "item__category__order", "item__order"
        )
    )
    for extra in range(0, 12):
        SelfScore.objects.filter(pk__in=[score.pk for score in scores[:extra]]).update(
            notes="已按要求落实，" + "台账、记录和照片齐全" * 6
        )
        response = client.get(reverse("assessments:application_form_pdf", args=[application.pk]))
        stranded += [(extra, text) for text in headings_ending_a_page(body(response), headings)]
    assert stranded == []
