"""The audit log reads in the bureau's words: China Standard Time, actions in the page's language,
names instead of ids and "MeasureTaken object (4)", a unit's whole history found by its name,
and no certificate verification code copied into it."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from linkage.models import MeasureTaken, Notice
from linkage.services import delivery, inbox
from tests.publication_support import publish_one as publish_with_certificate
from tests.publication_support import publish_results

pytestmark = pytest.mark.django_db

READER = "auditadmin"
# 01:30 UTC is 09:30 in Beijing.
AT_UTC = datetime.datetime(2026, 11, 30, 1, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def measure(world):
    publish_results([(world.unit, 4), (world.other_unit, 0)], year=2025)
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    notice = Notice.objects.get(unit=world.unit, department__short_name="财政")
    return inbox.record_measure(
        user=world.users["department"],
        notice=notice,
        kind=MeasureTaken.Kind.GRANTED,
        note="安排专项资金贴息",
        taken_on=timezone.localdate(),
    )


def legacy_entry(obj, changes, action=LogEntry.Action.UPDATE, repr_=None):
    """An entry as the log held it before models had names: Django's default repr."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_pk=str(obj.pk),
        object_id=obj.pk,
        object_repr=repr_ or f"{type(obj).__name__} object ({obj.pk})",
        action=action,
        changes=changes,
        timestamp=AT_UTC,
    )


def page_text(client, **query):
    return client.get("/audit/", query).content.decode()


def test_a_measure_is_logged_under_its_notice_and_kind_not_as_an_object_number(measure, client_as):
    entry = LogEntry.objects.get_for_object(measure).get()
    assert "object (" not in entry.object_repr
    assert entry.object_repr == f"财政: {measure.notice.unit} 评级公布 · 给予激励"


def test_times_are_china_standard_time_and_related_rows_are_named(measure, client_as, world):
    notice = measure.notice
    legacy_entry(
        measure,
        {"notice": ["None", str(notice.pk)], "created_at": ["None", "2026-11-30 01:30:00"]},
    )
    text = page_text(client_as(READER), content_type=ContentType.objects.get_for_model(measure).pk)
    assert "2026-11-30 09:30:00" in text  # the entry's own time
    assert "创建时间: — → 2026-11-30 09:30" in text  # a time inside the changes
    assert "MeasureTaken object" not in text
    assert f"联动通报: — → {notice}" in text  # the notice by name, not "notice: 12"
    assert f"已采取措施 · {measure}" in text


def test_actions_are_named_in_the_pages_language(measure, client_as):
    client = client_as(READER)
    chinese = page_text(client, text=str(measure.notice.unit.name))
    assert "新建" in chinese and "修改" in chinese
    assert ">create<" not in chinese and ">update<" not in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page_text(client, text=str(measure.notice.unit.name))
    assert "Created" in english and "Changed" in english


def test_a_units_name_finds_everything_that_belongs_to_it(measure, client_as, world):
    rating = measure.notice.rating
    legacy_entry(rating, {"revocation_reason": ["None", "发生较大事故。"]})
    text = page_text(client_as(READER), text=world.unit.name)
    # The rating, its notices, the measure: written under other names, found by the unit's.
    assert f"评级结果 · {rating}" in text
    assert f"已采取措施 · {measure}" in text
    assert f"联动通报 · 财政: {world.unit.name}" in text
    assert world.other_unit.name not in text


def test_certificate_verification_codes_stay_out_of_the_log(world, client_as):
    rating = publish_with_certificate(world.unit, 2025, "96.5")
    code = rating.certificate.verification_code
    assert not LogEntry.objects.filter(changes__icontains=code).exists()
    # An entry written before the code was excluded keeps it, but nobody is shown it.
    legacy_entry(rating.certificate, {"verification_code": ["None", code]}, repr_="证书")
    client = client_as(READER)
    assert code not in page_text(client)
    assert code not in client.get("/audit/export.csv").content.decode("utf-8-sig")


def test_export_speaks_the_same_words(measure, client_as):
    legacy_entry(measure, {"notice": ["None", str(measure.notice.pk)]})
    export = client_as(READER).get("/audit/export.csv").content.decode("utf-8-sig")
    assert export.splitlines()[0].startswith("时间（北京时间）,")
    assert "2026-11-30 09:30:00" in export
    assert "MeasureTaken object" not in export and "+00:00" not in export
    assert f"联动通报: — → {measure.notice}" in export


@pytest.mark.parametrize("text", ["\x00", "a/b", "\x07" * 3, "新" * 5000, "%_\\"])
def test_hostile_search_text_is_answered_not_crashed(measure, client_as, text):
    assert client_as(READER).get("/audit/", {"text": text}).status_code in (200, 400)
