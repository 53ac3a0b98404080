"""The footer and the visitor's navigation are site parts (portal/templatetags/site_parts.py):
kept per language and site facts, so both must show through at once."""

import pytest
from django.conf import settings
from django.test import override_settings
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
