"""The enterprise's right to reply: it writes, the bureau publishes (as written, shortened or
not at all, with reasons), the public reads it beside the rating as the enterprise's words
until the next result."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from auditlog.models import LogEntry
from django.utils import timezone

from portal.demo.publications import demo_cycle
from portal.models import Notification
from ratings.models import RatingReply
from ratings.services import replies
from tests.access.ratings import published_rating

pytestmark = pytest.mark.django_db

CST = datetime.timezone(datetime.timedelta(hours=8))
REPLY = "我单位已完成全部隐患整改，欢迎社会监督。"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def rating(world):
    done = published_rating(demo_cycle(2025, is_open=False), world.unit, world.users)
    return done.ratings.get()


def unit_page(client, world) -> str:
    return client.get(f"/search/units/{world.unit.credit_code}/").content.decode()


def submit(client, rating, text=REPLY):
    return client.post(f"/ratings/results/{rating.pk}/reply/", {"text": text})


def decide(client, reply, **data):
    return client.post(f"/ratings/replies/{reply.pk}/", data)


def test_a_reply_shows_on_the_public_page_only_after_the_bureau_publishes_it(
    world, rating, client_as, client, django_capture_on_commit_callbacks
):
    response = submit(client_as("enterprise"), rating)
    assert response.status_code == 302
    reply = RatingReply.objects.get()
    assert reply.status == RatingReply.Status.SUBMITTED
    assert Notification.objects.filter(recipient=world.users["bureau"]).exists()

    client.logout()
    assert REPLY not in unit_page(client, world)  # cached as it is now, without the reply

    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client_as("bureau"), reply, action="publish").status_code == 302
    client.logout()
    page = unit_page(client, world)  # the publication started a new cache version
    assert REPLY in page and "企业回应" in page and "以下为该单位自己的表述" in page

    row = client.get("/api/v1/ratings/", {"q": world.unit.credit_code}).json()["results"][0]
    assert row["enterprise_reply"] == REPLY
    assert row["enterprise_reply_published_on"] == timezone.localdate().isoformat()
    download = client.get("/api/v1/ratings.csv", {"q": world.unit.credit_code})
    text = b"".join(download.streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert table[0]["enterprise_reply"] == REPLY
    schema = client.get("/api/v1/openapi.json").json()
    assert "enterprise_reply" in schema["components"]["schemas"]["Rating"]["properties"]


def test_the_bureau_shortens_only_by_cutting_and_says_why(world, rating, client_as, client):
    submit(client_as("enterprise"), rating, "我单位已整改。举报人张三恶意诬告。欢迎监督。")
    reply = RatingReply.objects.get()
    bureau = client_as("bureau")

    rewritten = decide(
        bureau, reply, action="shorten", shortened_text="我单位表现优秀。", reason="涉及他人"
    )
    assert rewritten.status_code == 400
    assert "删节只能删去原文中的文字" in rewritten.content.decode()
    no_reason = decide(bureau, reply, action="shorten", shortened_text="我单位已整改。欢迎监督。")
    assert no_reason.status_code == 400 and "须写明理由" in no_reason.content.decode()

    cut = decide(
        bureau,
        reply,
        action="shorten",
        shortened_text="我单位已整改。欢迎监督。",
        reason="删去涉及他人姓名的指控。",
    )
    assert cut.status_code == 302
    reply.refresh_from_db()
    assert (reply.status, reply.shortened) == (RatingReply.Status.PUBLISHED, True)
    entry = LogEntry.objects.get_for_object(reply).filter(actor=world.users["bureau"]).first()
    assert entry is not None and "删去涉及他人姓名的指控" in json.dumps(
        entry.changes_dict, ensure_ascii=False
    )

    mine = client_as("enterprise").get(f"/ratings/results/{rating.pk}/").content.decode()
    assert "删去涉及他人姓名的指控" in mine and "经删节后公开" in mine
    notice = Notification.objects.get(recipient=world.users["enterprise"], subject__contains="回应")
    assert "删节" in notice.subject and "删去涉及他人姓名的指控" in notice.body

    client.logout()
    page = unit_page(client, world)
    assert "我单位已整改。欢迎监督。" in page and "张三" not in page and "经审核删节" in page


def test_a_refused_reply_is_never_public_and_the_enterprise_reads_why(
    world, rating, client_as, client
):
    submit(client_as("enterprise"), rating)
    reply = RatingReply.objects.get()
    assert decide(client_as("bureau"), reply, action="refuse").status_code == 400
    decide(client_as("bureau"), reply, action="refuse", reason="与评级结果无关的广告内容。")
    reply.refresh_from_db()
    assert reply.status == RatingReply.Status.REFUSED
    mine = client_as("enterprise").get(f"/ratings/results/{rating.pk}/").content.decode()
    assert "与评级结果无关的广告内容" in mine and "提交回应" in mine  # may write a new one
    client.logout()
    assert REPLY not in unit_page(client, world)


def test_a_withdrawn_reply_leaves_the_public_page_at_once(
    world, rating, client_as, client, django_capture_on_commit_callbacks
):
    submit(client_as("enterprise"), rating)
    reply = RatingReply.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        decide(client_as("bureau"), reply, action="publish")
    client.logout()
    assert REPLY in unit_page(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("enterprise").post(f"/ratings/replies/{reply.pk}/withdraw/")
    assert response.status_code == 302
    client.logout()
    assert REPLY not in unit_page(client, world)
    assert client.get("/api/v1/ratings/").json()["results"][0]["enterprise_reply"] is None


def test_the_next_result_hides_the_reply(world, rating, client_as, client):
    submit(client_as("enterprise"), rating)
    decide(client_as("bureau"), RatingReply.objects.get(), action="publish")
    later = published_rating(demo_cycle(2026, is_open=False), world.unit, world.users, number=2)
    client.logout()
    assert REPLY not in unit_page(client, world)
    rows = client.get("/api/v1/ratings/", {"cycle": "all"}).json()["results"]
    assert [row["enterprise_reply"] for row in rows] == [None, None]
    old = client_as("enterprise").get(f"/ratings/results/{rating.pk}/")
    assert old.context["reply_form"] is None  # a superseded result takes no new reply
    assert later.ratings.get().replies.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写回应内容"),
        ("字" * 301, "回应最多 300 个字"),
        ("整改完毕\x00", "控制字符"),
        ("整改\u202e完毕", "控制字符"),
    ],
)
def test_hostile_or_overlong_text_is_refused_by_name(world, rating, client_as, text, message):
    response = submit(client_as("enterprise"), rating, text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["reply_form"].errors.keys() == {"text"}
    assert not RatingReply.objects.exists()


def test_markup_in_a_reply_is_shown_as_text(world, rating, client_as, client):
    submit(client_as("enterprise"), rating, '<script>alert("x")</script>第二行\n完毕')
    decide(client_as("bureau"), RatingReply.objects.get(), action="publish")
    client.logout()
    page = unit_page(client, world)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;第二行<br>完毕" in page


def test_one_open_reply_at_a_time(world, rating, client_as):
    submit(client_as("enterprise"), rating)
    again = submit(client_as("enterprise"), rating, "第二条")
    assert again.status_code == 400
    assert "已有待审核或已公开的回应" in again.content.decode()
    assert RatingReply.objects.count() == 1


def test_only_the_unit_replies_and_only_the_bureau_decides(world, rating, client_as):
    assert submit(client_as("enterprise_other"), rating).status_code == 404
    assert submit(client_as("department"), rating).status_code == 403
    anonymous = submit(client_as("anonymous"), rating)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert not RatingReply.objects.exists()

    submit(client_as("enterprise"), rating)
    reply = RatingReply.objects.get()
    for persona in ("enterprise", "department", "government"):
        assert decide(client_as(persona), reply, action="publish").status_code == 403
    other = client_as("enterprise_other").post(f"/ratings/replies/{reply.pk}/withdraw/")
    assert other.status_code == 404
    assert client_as("bureau").get(f"/ratings/replies/{reply.pk}/withdraw/").status_code in (
        403,
        405,
    )
    reply.refresh_from_db()
    assert reply.status == RatingReply.Status.SUBMITTED


def test_the_service_refuses_other_actors_too(world, rating):
    with pytest.raises(replies.Refused):
        replies.submit(user=world.users["enterprise_other"], rating=rating, text=REPLY)
    reply = replies.submit(user=world.users["enterprise"], rating=rating, text=REPLY)
    with pytest.raises(replies.Refused):
        replies.decide(actor=world.users["department"], reply=reply, action="publish")


# Submitted Wednesday 2026-09-30: National Day closes 1–7 October, Saturday 10 October is a
# working day. Five working days: 8, 9, 10, 12, 13 October.
SUBMITTED = datetime.datetime(2026, 9, 30, 10, 0, tzinfo=CST)


@pytest.mark.parametrize(
    ("today", "badge"),
    [
        (datetime.date(2026, 10, 12), None),
        (datetime.date(2026, 10, 13), "今日到期"),
        (datetime.date(2026, 10, 14), "已逾期"),
    ],
)
def test_the_bureau_has_five_working_days_across_the_holiday(
    world, rating, client_as, today, badge
):
    with time_machine.travel(SUBMITTED, tick=False):
        reply = replies.submit(user=world.users["enterprise"], rating=rating, text=REPLY)
    assert reply.decide_by == datetime.date(2026, 10, 13)
    with time_machine.travel(datetime.datetime.combine(today, datetime.time(9), CST)):
        page = client_as("bureau").get("/ratings/replies/").content.decode()
    assert "2026-10-13" in page
    for shown in ("今日到期", "已逾期"):
        assert (shown in page) == (shown == badge)
