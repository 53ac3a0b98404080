"""Every joint measure names the document and article it rests on (国办发〔2020〕49号); a
department records only a measure its notice lists; notices and the public page carry both."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from linkage import defaults
from linkage.models import MeasureTaken, Notice, PolicyRule, PolicyVersion, Result
from linkage.services import delivery, inbox, policy
from tests.publication_support import publish_results
from units.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)


@pytest.fixture
def published(world):
    # Published today: a no-star result's public display ends a year after publication.
    ratings = publish_results(
        [(world.unit, 4), (world.other_unit, 0)], year=2025, published_on=timezone.localdate()
    )
    delivery.deliver_inbox(list(Notice.objects.values_list("pk", flat=True)))
    return ratings


def caizheng_notice(unit) -> Notice:
    return Notice.objects.get(unit=unit, department__short_name="财政")


def matrix_as_posted(client) -> dict:
    form = client.get("/linkage/policy/edit/").context["form"]
    return {name: field.initial for name, field in form.fields.items() if field.initial}


def test_the_policy_matrix_refuses_a_measure_without_a_legal_basis(world, client_as):
    client = client_as("bureau")
    caizheng = Department.objects.get(short_name="财政")
    data = matrix_as_posted(client)
    data.update(note="增加贴息措施", **{f"measure_4_{caizheng.pk}": "给予贷款贴息。"})

    no_document = dict(data, **{f"document_4_{caizheng.pk}": "  "})
    refused = client.post("/linkage/policy/edit/", no_document)
    assert refused.status_code == 400
    assert "请填写该措施所依据的法律、法规或政策文件" in refused.content.decode()
    assert refused.context["form"].errors.keys() == {f"document_4_{caizheng.pk}"}
    no_article = dict(data, **{f"article_4_{caizheng.pk}": ""})
    refused = client.post("/linkage/policy/edit/", no_article)
    assert refused.status_code == 400 and "请填写该措施所依据的条款" in refused.content.decode()
    assert PolicyVersion.objects.count() == 1

    data.update(
        **{
            f"document_4_{caizheng.pk}": "《新郑市安全生产专项资金管理办法》",
            f"article_4_{caizheng.pk}": "第十条",
        }
    )
    assert client.post("/linkage/policy/edit/", data).status_code == 302
    rule = PolicyVersion.objects.current().rules.get(result="4", department=caizheng)
    assert (rule.measure, rule.basis) == (
        "给予贷款贴息。",
        "《新郑市安全生产专项资金管理办法》 第十条",
    )
    shown = client.get("/linkage/policy/").content.decode()
    assert "《新郑市安全生产专项资金管理办法》 第十条" in shown


def test_the_service_and_the_database_refuse_a_measure_without_a_basis(world):
    caizheng = Department.objects.get(short_name="财政")
    bare = defaults.Cell("给予贷款贴息。", "incentive", "", "")
    with pytest.raises(ValidationError):
        policy.create_version(actor=world.users["bureau"], cells={(Result.FOUR, caizheng.pk): bare})
    assert PolicyVersion.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyRule.objects.create(
            version=PolicyVersion.objects.current(),
            result=Result.THREE,
            department=Department.objects.get(short_name="工商"),
            measure="x",
            basis_document="《某文件》",
            basis_article=" ",
        )


def test_only_bureau_staff_edit_the_matrix(world, client_as):
    for persona in ("department", "enterprise", "sysadmin"):
        response = client_as(persona).post("/linkage/policy/edit/", {"note": "x"})
        assert response.status_code == 403, persona
    anonymous = client_as("anonymous").post("/linkage/policy/edit/", {"note": "x"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    assert PolicyVersion.objects.count() == 1


def test_every_default_measure_rests_on_the_municipal_opinion():
    rules = PolicyRule.objects.filter(version__number=1)
    assert rules.count() == 60
    assert set(rules.values_list("basis_document", flat=True)) == {defaults.SEED}
    by_result = dict(rules.values_list("result", "basis_article").distinct())
    assert by_result["none"] == "第八部分第四段"
    assert set(rules.filter(result="none").values_list("category", flat=True)) == {"restriction"}


def test_an_edited_measure_keeps_a_basis_when_bases_are_first_filled():
    """Migration 0003 gives a measure the bureau changed the article of its result."""
    cell = defaults.default_basis("4", "财政", "给予贷款贴息。")
    assert (cell.category, cell.basis_article) == ("incentive", defaults.FOUR_STARS)
    assert defaults.default_basis("4", "公安", defaults.NOTICE_ONLY).category == "notice"


def test_notices_carry_the_basis_to_the_inbox_and_the_webhook(published, world, client_as):
    notice = caizheng_notice(world.other_unit)
    assert notice.category == "restriction"
    assert notice.basis == f"{defaults.SEED} {defaults.NO_STAR}"
    body = json.loads(delivery.payload(notice))["data"]
    assert body["measure_category"] == "restriction"
    assert body["basis"] == {"document": defaults.SEED, "article": defaults.NO_STAR}
    page = client_as("department").get(f"/linkage/notices/{notice.pk}/").content.decode()
    assert "措施依据" in page and "新政〔2010〕36号" in page and defaults.NO_STAR in page


def test_a_department_cannot_record_a_heavier_measure_than_the_list(published, world, client_as):
    four_stars = caizheng_notice(world.unit)
    client = client_as("department")
    page = client.get(f"/linkage/notices/{four_stars.pk}/")
    offered = [value for value, _label in page.context["form"].fields["kind"].choices]
    assert offered == ["granted", "other"]

    heavier = client.post(
        f"/linkage/notices/{four_stars.pk}/measure/",
        {"kind": "restricted", "note": "暂停贷款", "taken_on": "2026-01-05"},
    )
    assert heavier.status_code == 400
    assert "不得采取清单以外或更重的措施" in heavier.content.decode()
    assert not MeasureTaken.objects.exists()
    with pytest.raises(ValidationError):
        inbox.record_measure(
            user=world.users["department"],
            notice=four_stars,
            kind="restricted",
            note="暂停贷款",
            taken_on=published[0].published_on,
        )

    listed = client.post(
        f"/linkage/notices/{four_stars.pk}/measure/",
        {"kind": "granted", "note": "安排专项资金贴息", "taken_on": "2026-01-05"},
    )
    assert listed.status_code == 302
    assert four_stars.measures_taken.get().kind == "granted"


def test_another_department_cannot_record_on_the_notice(published, world, client_as):
    notice = caizheng_notice(world.other_unit)
    response = client_as("department_other").post(
        f"/linkage/notices/{notice.pk}/measure/",
        {"kind": "restricted", "note": "x", "taken_on": "2026-01-05"},
    )
    assert response.status_code == 404
    assert not MeasureTaken.objects.exists()


def test_the_public_unit_page_lists_the_measure_categories_of_the_result(
    published, world, client_as
):
    page = client_as("anonymous").get(f"/search/units/{world.other_unit.credit_code}/")
    text = page.content.decode()
    assert "适用的联动措施" in text and "约束措施" in text
    assert "第八部分第四段" in text and "激励措施" not in text
    starred = (
        client_as("anonymous").get(f"/search/units/{world.unit.credit_code}/").content.decode()
    )
    assert "激励措施" in starred and "财政" in starred and "第八部分第二段" in starred


def test_a_new_policy_version_shows_on_the_unit_page_at_once(published, world, client_as, settings):
    """Each process keeps the current rules for a second (linkage/selectors.py); the version
    the bureau saves replaces them at once in the process that saved it."""
    settings.PUBLIC_CACHE_SECONDS = 0
    url = f"/search/units/{world.other_unit.credit_code}/"
    assert "第八部分第四段" in client_as("anonymous").get(url).content.decode()
    caizheng = Department.objects.get(short_name="财政")
    cell = defaults.Cell("暂停财政补助。", "restriction", "《某市财政补助办法》", "第九条")
    policy.create_version(
        actor=world.users["bureau"], cells={(Result.NONE, caizheng.pk): cell}, note="试行"
    )
    text = client_as("anonymous").get(url).content.decode()
    assert "《某市财政补助办法》 第九条" in text and "第八部分第四段" not in text


def test_notices_sent_before_bases_existed_get_their_cells_basis(published, world):
    """Migration 0003 on a deployment with notices: each gets the basis of the cell it was
    written from (its version, result and department)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("linkage.migrations.0003_policy_basis")
    Notice.objects.update(category="", basis_document="", basis_article="")
    migration.fill_bases(apps, None)
    notice = caizheng_notice(world.other_unit)
    assert (notice.category, notice.basis) == ("restriction", f"{defaults.SEED} {defaults.NO_STAR}")
    assert not Notice.objects.filter(basis_document="").exists()


def test_hostile_text_in_the_policy_matrix_is_refused_by_field(world, client_as):
    """A basis with an escape sequence or a line break, or a 100 KB measure, would travel in
    every notice, webhook and report: each is refused under its own field, no version saved."""
    client = client_as("bureau")
    caizheng = Department.objects.get(short_name="财政")
    data = matrix_as_posted(client)
    data.update(note="增加贴息措施")
    for field, value, message in [
        (f"document_4_{caizheng.pk}", "《办法》\x1b[2J", "控制字符"),
        (f"article_4_{caizheng.pk}", "第十条\n第十一条", "控制字符"),
        (f"measure_4_{caizheng.pk}", "给予贷款贴息\x00", "控制字符"),
        (f"measure_4_{caizheng.pk}", "贴" * 100_000, "2000"),
        ("note", "修订\r\n说明", "控制字符"),
    ]:
        refused = client.post("/linkage/policy/edit/", dict(data, **{field: value}))
        assert refused.status_code == 400, field
        assert message in " ".join(refused.context["form"].errors[field]), field
    assert PolicyVersion.objects.count() == 1


def test_a_measure_note_with_control_characters_or_100_kb_is_refused_by_name(
    published, world, client_as
):
    notice = caizheng_notice(world.unit)
    client = client_as("department")
    for note, message in [("贴息\x1b[31m", "控制字符"), ("贴" * 100_000, "2000")]:
        refused = client.post(
            f"/linkage/notices/{notice.pk}/measure/",
            {"kind": "granted", "note": note, "taken_on": "2026-01-05"},
        )
        assert refused.status_code == 400
        assert message in " ".join(refused.context["form"].errors["note"])
    assert not MeasureTaken.objects.exists()
