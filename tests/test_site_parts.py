"""The footer and the visitor's navigation are site parts (portal/templatetags/site_parts.py):
kept per language and site facts, so both must show through at once."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def footer(client) -> str:
    html = client.get("/").content.decode()
    return html[html.index("<footer") :]


def test_the_footer_and_navigation_follow_the_readers_language(client):
    chinese = client.get("/").content.decode()
    assert "服务热线" in footer(client) and "评级查询" in chinese
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/").content.decode()
    assert "Hotline" in footer(client) and "服务热线" not in footer(client)
    assert "评级查询" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "服务热线" in footer(client)


def test_the_footer_follows_the_site_settings(client):
    assert "0371-99998888" not in footer(client)
    with override_settings(SITE_HOTLINE="0371-99998888"):
        assert "0371-99998888" in footer(client)
    assert "0371-99998888" not in footer(client)


def test_a_signed_in_user_gets_their_own_navigation(client_as):
    register_link = f'class="nav-link" href="{reverse("units:register")}"'
    assert register_link in client_as("anonymous").get("/").content.decode()
    html = client_as("bureau").get("/").content.decode()
    assert "受理与评估" in html and register_link not in html


def test_a_visitors_header_returns_them_to_their_page_with_their_own_token():
    """A visitor's header is rendered once for every visitor (site_parts.visitor_header): the
    page to return to and the CSRF token are each visitor's own, and the switch works."""
    page, query = reverse("public:search"), {"q": '<b>"隆海"</b>'}
    tokens = []
    for _visitor in range(2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(page, query).content.decode()
        next_page = re.search(r'name="next" type="hidden" value="([^"]*)"', html)[1]
        assert next_page == "/search/?q=%3Cb%3E%22%E9%9A%86%E6%B5%B7%22%3C%2Fb%3E"
        token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', html)[1]
        tokens.append(token)
        switched = visitor.post(
            reverse("set_language"),
            {"language": "en", "next": unescape(next_page), "csrfmiddlewaretoken": token},
        )
        assert switched.status_code == 302 and switched.url == unescape(next_page)
        assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        assert "Rating search" in visitor.get(page, query).content.decode()
    assert tokens[0] != tokens[1]


def test_a_visitors_header_follows_the_site_settings(client):
    with override_settings(PORTAL_NAME="试点诚信平台"):
        assert 'href="/">试点诚信平台</a>' in client.get("/").content.decode()
    assert "试点诚信平台" not in client.get("/").content.decode()
