"""Statistics: public charts with their numbers as tables; the bureau's working figures."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Application, Assignment, Expert, Status
from public import charts
from tests.factories import UnitFactory
from tests.publication_support import past_cycle as make_cycle
from tests.publication_support import publish_one as publish
from tests.publication_support import publish_results, revoke
from units.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    longhu = Area.objects.get(name="龙湖镇")
    publish(world.unit, 2024, "80.0")
    *_in_force, revoked = publish_results(
        [
            (world.unit, "96.0"),
            (world.other_unit, "88.0"),
            (UnitFactory(area=longhu), "70.0"),
            (UnitFactory(area=longhu), "90.0"),
        ],
        year=2025,
    )
    revoke(revoked, "瞒报事故。")


def table_rows(html: str, caption: str) -> dict[str, list[str]]:
    table = html[html.index(caption) :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table):
        rows[row[0]] = re.findall(r"<td[^>]*>(.*?)</td>", row[1])
    return rows


def test_public_charts_come_with_their_numbers(client, published):
    response = client.get(reverse("stats:public"))
    assert response.status_code == 200
    html = response.text
    assert html.count("<svg") == 4
    by_cycle = table_rows(html, "各年度星级分布（数据表）")
    # five, four, three, none, total — the revoked rating no longer counts
    assert by_cycle["2024年度"] == ["0", "0", "1", "0", "1"]
    assert by_cycle["2025年度"] == ["1", "1", "0", "1", "3"]
    by_area = table_rows(html, "2025年度各乡镇街道星级分布（数据表）")
    assert by_area["龙湖镇"] == ["0", "0", "0", "1", "1"]
    assert by_area["新村镇"] == ["0", "0", "0", "0", "0"]  # every area is listed
    trend = table_rows(html, "历年各星级占比")
    assert trend["2025年度"] == ["33.3%", "33.3%", "0.0%", "33.3%"]


def test_charts_need_no_script_no_style_and_no_cdn(client, published):
    html = client.get(reverse("stats:public")).text
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    for svg in svgs:
        assert "style=" not in svg and "<script" not in svg
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "http://" not in "".join(svgs).replace("http://www.w3.org/2000/svg", "")


def test_another_cycle_can_be_chosen(client, published):
    html = client.get(reverse("stats:public"), {"cycle": "2024"}).text
    assert "2024年度各行业星级分布" in html


def test_with_nothing_published_the_page_says_so(client, db):
    assert "尚未公布评级结果" in client.get(reverse("stats:public")).text


def test_chart_labels_are_escaped():
    svg = charts.stacked_bars(
        [("<b>", [1, 0, 0, 0])],
        [(5, "五"), (4, "四"), (3, "三"), (0, "无")],
        title="t",
        chart_id="x",
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg


@pytest.fixture
def workload(world):
    cycle = make_cycle(2026)
    long_ago = timezone.now() - datetime.timedelta(days=40)
    waiting = Application.objects.create(
        cycle=cycle, unit=world.unit, status=Status.SUBMITTED, submitted_at=long_ago
    )
    Application.objects.create(
        cycle=cycle, unit=world.other_unit, status=Status.SUBMITTED, submitted_at=timezone.now()
    )
    evaluating = Application.objects.create(
        cycle=cycle,
        unit=UnitFactory(),
        status=Status.UNDER_EVALUATION,
        gap_flagged=True,
        veto_missed_flagged=True,
    )
    assignment = Assignment.objects.create(
        application=evaluating,
        expert=Expert.objects.get(user=world.users["expert"]),
        assigned_by=world.users["bureau"],
    )
    Assignment.objects.filter(pk=assignment.pk).update(assigned_at=long_ago)
    Application.objects.create(
        cycle=cycle, unit=UnitFactory(), status=Status.EVALUATED, gap_flagged=True
    )
    return waiting


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">(.*?)<', html).group(1)


def test_bureau_sees_its_working_figures(client_as, workload):
    html = client_as("bureau").get(reverse("stats:bureau"), {"cycle": "2026"}).text
    assert figure(html, "overdue") == "2"  # one acceptance, one evaluation overdue
    assert figure(html, "gap") == "2"
    assert figure(html, "veto-missed") == "1"
    statuses = table_rows(html, "各状态申报数（数据表）")
    assert statuses["已提交，待受理"] == ["2"] and statuses["专家评估中"] == ["1"]
    assert statuses["已公布"] == ["0"]
    # Stages not merged yet show a dash, never a made-up zero.
    assert figure(html, "comments") == "0"


def test_bureau_figures_from_other_stages_when_present(client_as, workload, monkeypatch):
    monkeypatch.setattr("ratings.selectors.pending_comment_count", lambda: 4)
    monkeypatch.setattr("linkage.selectors.unacknowledged_notice_count", lambda: 3)
    monkeypatch.setattr("linkage.selectors.overdue_hazard_count", lambda: 2)
    html = client_as("bureau").get(reverse("stats:bureau")).text
    assert (figure(html, "comments"), figure(html, "notices"), figure(html, "hazards")) == (
        "4",
        "3",
        "2",
    )


@pytest.mark.parametrize("persona", ["anonymous", "government", "department", "enterprise"])
def test_only_the_bureau_opens_its_dashboard(client_as, world, persona):
    response = client_as(persona).get(reverse("stats:bureau"))
    assert response.status_code in (302, 403)
