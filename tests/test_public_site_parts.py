"""What every visitor meets on any page: the stage banner, the site footer, the favicon, and
the human-readable API documentation linked from the open-data links."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from assessments.models import Cycle
from portal.demo.publications import demo_cycle
from tests.access.ratings import open_item
from tests.publication_support import publish_one as publish
from tests.redis_namespace import empty_namespace

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_stale_banner():
    empty_namespace()
    yield
    empty_namespace()


def banner(client) -> str:
    html = client.get(reverse("portal:home")).content.decode()
    start = html.index('class="cycle-banner"')
    return html[start : html.index("</div>", start)]


def test_the_banner_says_public_comment_is_under_way_when_it_is(client, world):
    cycle = demo_cycle(2026, is_open=True)
    Cycle.objects.filter(pk=cycle.pk).update(phase=Cycle.Phase.EVALUATION)
    open_item(cycle, world.unit, world.users["bureau"], world.users["expert"])
    text = banner(client)
    assert "意见征询（至" in text
    assert "阶段：开展评估" not in text


def test_the_banner_names_publication_once_results_are_published(client, world):
    cycle = demo_cycle(2026, is_open=True)
    Cycle.objects.filter(pk=cycle.pk).update(phase=Cycle.Phase.EVALUATION)
    from tests.access.ratings import published_rating

    published_rating(cycle, world.unit, world.users)
    assert "公布结果与授证" in banner(client)
    with translation.override("en"):
        empty_namespace()
        client.cookies["django_language"] = "en"
        assert "Publication and certification" in banner(client)


@override_settings(
    SITE_HOTLINE="0371-12345678", SITE_IDENTIFIER="4101840099", SITE_ICP_NUMBER="豫ICP备12345678号"
)
def test_every_page_has_the_government_site_footer(client):
    html = client.get(reverse("public:search")).content.decode()
    footer = html[html.index("<footer") :]
    for fact in ("0371-12345678", "4101840099", "豫ICP备12345678号", "办公时间", "办事指南"):
        assert fact in footer
    assert reverse("portal:guide") + "#enterprise" in footer
    guide = client.get(reverse("portal:guide"))
    assert guide.status_code == 200
    for role in (
        'id="public"',
        'id="enterprise"',
        'id="township"',
        'id="department"',
        'id="expert"',
    ):
        assert role in guide.content.decode()


def test_the_favicon_is_served_at_the_root_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    assert 'rel="icon"' in client.get(reverse("portal:home")).content.decode()


def test_the_api_documentation_is_readable_and_linked_from_the_open_data_links(client, world):
    publish(world.unit, 2025, "90.0")
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/ratings/" in html and "credit_code" in html and "certificate_status" in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert reverse("api:docs") in client.get(reverse("public:search")).content.decode()
    assert reverse("api:docs") in client.get(reverse("portal:home")).content.decode()
