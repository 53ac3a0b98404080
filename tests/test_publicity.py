"""Public comment (公示): the window, the comment form's defences, the tracking code, the
enterprise's reply and objection, and a commenter's contact never leaking anywhere public."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.archive import Disclosure
from portal.personal_data import mask_phone
from ratings import archive
from ratings.models import Comment, PublicityBatch
from tests.access.ratings import MINIMAL_PDF, PUBLISHED_YEAR, SECRET_NAME, SECRET_PHONE, stage
from tests.conftest import sign_in
from tests.objection_support import clerk
from tests.redis_namespace import empty_namespace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    empty_namespace()  # the suite's own keys only, never a running demo's
    yield
    empty_namespace()


def solve_captcha(html: str) -> dict:
    left, right = re.search(r"(\d) \+ (\d) = \?", html).groups()
    token = re.search(r'name="captcha_token" value="([^"]+)"', html).group(1)
    return {"captcha_answer": str(int(left) + int(right)), "captcha_token": token}


def comment_data(client, url, **extra) -> dict:
    data = {
        "content": "厂区东侧消防通道堆放原料。",
        "contact_name": "钱某某",
        "contact_phone": "13600001111",
        "website": "",
        **solve_captcha(client.get(url).content.decode()),
    }
    data.update(extra)
    return data


def test_anyone_reads_proposed_grades_during_the_window(client, world):
    s = stage(world)
    page = client.get(reverse("public_ratings:publicity")).content.decode()
    assert world.unit.name in page
    assert s.item.get_proposed_star_display() in page


def test_visitor_comments_and_sees_tracking_code_once_then_the_outcome(client, world):
    s = stage(world)
    url = reverse("public_ratings:comment", args=[s.item.pk])
    response = client.post(url, comment_data(client, url))
    assert response.status_code == 302
    page = client.get(reverse("public_ratings:comment_received")).content.decode()
    code = re.search(r'id="tracking-code">([A-Z0-9-]+)<', page).group(1)
    again = client.get(reverse("public_ratings:comment_received")).content.decode()
    assert code not in again  # shown once
    # Contacts are encrypted at rest, so the comment is found by its text, not its contact.
    comment = Comment.objects.get(item=s.item, content="厂区东侧消防通道堆放原料。")
    assert comment.contact_name == "钱某某"
    assert code not in str(comment.tracking_code_hash)  # stored hashed only

    track = reverse("public_ratings:track")
    pending = client.post(track, {"code": code.lower()}).content.decode()
    assert "正在核实处理" in pending
    from ratings.services import publicity

    publicity.answer(
        comment=comment,
        decision="upheld",
        text="经核实情况属实，已责令整改。",
        actor=world.users["bureau"],
    )
    answered = client.post(track, {"code": code}).content.decode()
    assert "成立" in answered and "已责令整改" in answered
    assert "钱某某" not in answered and "13600001111" not in answered
    assert client.post(track, {"code": "AAAA-BBBB-CCCC"}).status_code == 404


@pytest.mark.parametrize("when", ["before", "after"])
def test_comments_outside_the_window_are_refused(client, world, when):
    s = stage(world)
    url = reverse("public_ratings:comment", args=[s.item.pk])
    data = comment_data(client, url)
    now = timezone.now()
    if when == "before":
        window = (now + datetime.timedelta(days=1), now + datetime.timedelta(days=8))
    else:
        window = (now - datetime.timedelta(days=8), now - datetime.timedelta(seconds=1))
    PublicityBatch.objects.filter(pk=s.item.batch_id).update(starts_at=window[0], ends_at=window[1])
    response = client.post(url, data)
    assert response.status_code == 403
    assert "不在进行中" in response.content.decode()
    assert not Comment.objects.filter(content="厂区东侧消防通道堆放原料。").exists()
    assert "captcha_token" not in client.get(url).content.decode()  # no form either
    assert world.unit.name not in client.get(reverse("public_ratings:publicity")).content.decode()


def test_honeypot_filled_by_a_bot_is_refused(client, world):
    s = stage(world)
    url = reverse("public_ratings:comment", args=[s.item.pk])
    response = client.post(url, comment_data(client, url, website="http://spam.example"))
    assert response.status_code == 400
    assert not Comment.objects.filter(content="厂区东侧消防通道堆放原料。").exists()


def test_wrong_or_replayed_captcha_is_refused_with_a_new_question(client, world):
    s = stage(world)
    url = reverse("public_ratings:comment", args=[s.item.pk])
    data = comment_data(client, url)
    wrong = dict(data, captcha_answer=str(int(data["captcha_answer"]) + 1))
    response = client.post(url, wrong)
    assert response.status_code == 400
    assert "验证问题回答错误" in response.content.decode()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400  # the same solved token again


def test_comments_are_rate_limited_per_address(client, world):
    s = stage(world)
    url = reverse("public_ratings:comment", args=[s.item.pk])
    statuses = [client.post(url, comment_data(client, url)).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    other_address = client.post(url, comment_data(client, url), REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 302


def test_a_get_never_creates_a_comment(client, world):
    s = stage(world)
    before = Comment.objects.count()
    client.get(reverse("public_ratings:comment", args=[s.item.pk]), {"content": "x"})
    assert Comment.objects.count() == before


def public_pages(client, world) -> dict[str, str]:
    s = stage(world)
    urls = [
        reverse("public_ratings:publicity"),
        reverse("public_ratings:comment", args=[s.item.pk]),
        reverse("public_ratings:comment_received"),
        reverse("public_ratings:track"),
        reverse("public_ratings:results"),
        reverse("public_ratings:results") + f"?year={PUBLISHED_YEAR}",
        reverse("public_ratings:verify_form"),
        reverse("public_ratings:verify", args=[s.certificate.verification_code]),
        reverse("portal:home"),
    ]
    return {url: client.get(url).content.decode() for url in urls}


def test_commenter_contact_never_appears_on_any_public_page(client, client_as, world):
    s = stage(world)
    from ratings.services import publicity

    publicity.answer(
        comment=s.comment, decision="not_upheld", text="经核实不属实。", actor=world.users["bureau"]
    )
    pages = public_pages(client, world)
    # The tracking page with the outcome of this very comment.
    code_comment, code = publicity.submit_comment(
        item=s.item, content="另一条意见", contact_name=SECRET_NAME, contact_phone=SECRET_PHONE
    )
    pages["track-result"] = client.post(
        reverse("public_ratings:track"), {"code": code}
    ).content.decode()
    # What other insiders see: the enterprise about itself, the government's drill-down.
    pages["enterprise"] = (
        client_as("enterprise")
        .get(reverse("ratings:item_detail", args=[s.item.pk]))
        .content.decode()
    )
    pages["government"] = (
        client_as("government")
        .get(reverse("ratings:application_review", args=[s.submitted_application.pk]))
        .content.decode()
    )
    for url, html in pages.items():
        assert SECRET_NAME not in html, url
        assert SECRET_PHONE not in html, url
    for level in Disclosure:
        for entry in archive.entries(world.unit, level, None):
            assert SECRET_NAME not in f"{entry.title}{entry.detail}"
            assert SECRET_PHONE not in f"{entry.title}{entry.detail}"
    # ...while the bureau, who must verify the facts, sees them masked and may show them once,
    # an action recorded in the audit log.
    bureau = client_as("bureau")
    bureau_page = bureau.get(reverse("ratings:item_detail", args=[s.item.pk])).content.decode()
    assert SECRET_PHONE not in bureau_page and mask_phone(SECRET_PHONE) in bureau_page
    shown = bureau.post(reverse("portal:reveal_contact", args=["comment", code_comment.pk]))
    assert SECRET_PHONE in shown.content.decode()


def test_enterprise_sees_comments_on_its_unit_replies_and_objects_with_evidence(client_as, world):
    s = stage(world)
    client = client_as("enterprise")
    page = client.get(reverse("ratings:item_detail", args=[s.item.pk])).content.decode()
    assert "消防通道堵塞" in page
    response = client.post(
        reverse("ratings:comment_reply", args=[s.comment.pk]), {"reply": "已清理，附照片。"}
    )
    assert response.status_code == 302
    s.comment.refresh_from_db()
    assert s.comment.reply == "已清理，附照片。"
    upload = SimpleUploadedFile("台账.pdf", MINIMAL_PDF, content_type="application/pdf")
    client.post(
        reverse("ratings:item_object", args=[s.item.pk]),
        {"reasons": "申请复核文化建设得分。", "evidence": upload},
    )
    objection = Comment.objects.get(content="申请复核文化建设得分。")
    assert objection.kind == Comment.Kind.OBJECTION and objection.evidence_type == "application/pdf"


def test_objection_evidence_is_checked_by_content_not_name(client_as, world):
    s = stage(world)
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_as("enterprise").post(
        reverse("ratings:item_object", args=[s.item.pk]),
        {"reasons": "伪装的文件", "evidence": fake},
        follow=True,
    )
    assert "只接受 PDF、JPG、JPEG、PNG 文件" in response.content.decode()
    assert not Comment.objects.filter(content="伪装的文件").exists()


def test_other_enterprise_cannot_read_or_reply_to_comments_on_a_unit(client_as, world):
    s = stage(world)
    client = client_as("enterprise_other")
    assert client.get(reverse("ratings:item_detail", args=[s.item.pk])).status_code == 404
    response = client.post(reverse("ratings:comment_reply", args=[s.comment.pk]), {"reply": "x"})
    assert response.status_code == 404


def test_state_changes_refuse_get(client_as, world):
    s = stage(world)
    bureau = client_as("bureau")
    assert bureau.get(reverse("ratings:comment_answer", args=[s.comment.pk])).status_code == 405
    assert bureau.get(reverse("ratings:batch_submit", args=[s.item.batch_id])).status_code == 405


def test_an_oversized_objection_evidence_is_refused_and_the_reasons_kept(
    client_as, world, settings
):
    s = stage(world)
    settings.EVIDENCE_MAX_FILE_BYTES = len(MINIMAL_PDF) + 10
    big = SimpleUploadedFile("台账.pdf", MINIMAL_PDF + b"0" * 100, content_type="application/pdf")
    response = client_as("enterprise").post(
        reverse("ratings:item_object", args=[s.item.pk]),
        {"reasons": "附件太大的异议", "evidence": big},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "超过单个文件上限" in page and "附件太大的异议" in page
    assert not Comment.objects.filter(content="附件太大的异议").exists()


def test_an_objection_sent_twice_is_kept_once_and_a_reply_is_not_overwritten(client_as, world):
    s = stage(world)
    enterprise = client_as("enterprise")
    objection = {"reasons": "请复核第3项扣分。"}
    url = reverse("ratings:item_object", args=[s.item.pk])
    enterprise.post(url, objection)
    again = enterprise.post(url, objection, follow=True).content.decode()
    assert "相同的异议已经提交" in again
    assert Comment.objects.filter(content="请复核第3项扣分。").count() == 1

    reply_url = reverse("ratings:comment_reply", args=[s.comment.pk])
    enterprise.post(reply_url, {"reply": "已整改。"})
    replayed = enterprise.post(reply_url, {"reply": "改过的回复"}, follow=True).content.decode()
    assert "不能重复回复" in replayed
    s.comment.refresh_from_db()
    assert s.comment.reply == "已整改。"


@pytest.mark.parametrize(
    "mistake",
    [
        {"captcha_answer": "99"},
        {"captcha_answer": ""},
        {"content": ""},
        {"contact_phone": "not a phone"},
    ],
    ids=["wrong answer", "no answer", "empty comment", "bad phone"],
)
def test_after_any_error_the_form_asks_a_question_and_keeps_what_was_typed(client, world, mistake):
    s = stage(world)
    url = reverse("public_ratings:comment", args=[s.item.pk])
    data = comment_data(client, url, **mistake)
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r"验证问题：\d \+ \d = \?", html), "the question must stay on the page"
    assert "钱某某" in html, "what was typed stays in the form"
    assert data["contact_phone"] in html and data["content"] in html
    retry = {**data, **solve_captcha(html)}
    retry.update({"content": "厂区东侧消防通道堆放原料。", "contact_phone": "13600001111"})
    assert client.post(url, retry).status_code == 302


NOT_INDEPENDENT = "您参与过该申报的办理（受理、评估指派、等级考评或意见答复），不能复核此异议"


def test_an_officer_who_graded_it_may_answer_comments_but_not_the_enterprise_objection(
    client_as, world
):
    """One rule for every objection (objections.may_decide), the publicity one included."""
    s = stage(world)
    bureau = client_as("bureau")  # the bureau persona graded the item's application
    page = bureau.get(reverse("ratings:item_detail", args=[s.item.pk])).content.decode()
    assert f'id="not-independent-{s.objection.pk}"' in page and NOT_INDEPENDENT in page
    assert f'action="{reverse("ratings:comment_answer", args=[s.objection.pk])}"' not in page
    response = bureau.post(
        reverse("ratings:comment_answer", args=[s.objection.pk]),
        {"decision": "upheld", "answer": "经核实属实。"},
    )
    assert response.status_code == 403
    s.objection.refresh_from_db()
    assert not s.objection.is_answered
    # An ordinary public comment is answered by whoever handles comments, as before.
    assert f'id="not-independent-{s.comment.pk}"' not in page
    response = bureau.post(
        reverse("ratings:comment_answer", args=[s.comment.pk]),
        {"decision": "not_upheld", "answer": "经核实不属实。"},
        follow=True,
    )
    assert "已答复" in response.content.decode()
    s.comment.refresh_from_db()
    assert s.comment.answered_by == world.users["bureau"]


def test_an_independent_officer_answers_the_enterprise_objection(client, world):
    s = stage(world)
    officer = clerk()  # took no part in this application
    sign_in(client, officer)
    page = client.get(reverse("ratings:item_detail", args=[s.item.pk])).content.decode()
    assert NOT_INDEPENDENT not in page
    assert f'action="{reverse("ratings:comment_answer", args=[s.objection.pk])}"' in page
    response = client.post(
        reverse("ratings:comment_answer", args=[s.objection.pk]),
        {"decision": "upheld", "answer": "培训记录已补看，异议成立。"},
        follow=True,
    )
    assert "培训记录已补看，异议成立。" in response.content.decode()
    s.objection.refresh_from_db()
    assert s.objection.answered_by == officer and s.objection.decision == "upheld"
