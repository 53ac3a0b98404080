"""Production settings pass ``check --deploy``; pages forbid inline script and style, and no
served template needs them."""

import os
import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

pytestmark = pytest.mark.django_db

# PDF templates are rendered by WeasyPrint on the server and never served as HTML, so no
# Content-Security-Policy applies to them (docs/decisions/0060-security-tests.md).
SERVED_ONLY = "pdf"
INLINE = {
    "inline script body": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_production_refuses_to_start_without_its_own_field_encryption_key():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org",
    }
    for keys in (None, settings.FIELD_ENCRYPTION_KEYS_DEV[0]):
        if keys:
            env["DJANGO_FIELD_ENCRYPTION_KEYS"] = keys
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode != 0
        assert "DJANGO_FIELD_ENCRYPTION_KEYS" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    alphabet = string.ascii_letters + string.digits + "!@%^&*(-_=+)"
    # The environment minus what tests set for themselves (conftest's async switch).
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DJANGO_FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("persona", ["anonymous", "enterprise", "bureau"])
def test_pages_forbid_inline_script_and_style(client_as, persona):
    client = client_as(persona)
    for url in ("/", "/dashboard/" if persona != "anonymous" else "/search/"):
        csp = client.get(url).headers["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"


def test_no_served_template_carries_inline_script_style_or_handlers():
    found = []
    root = Path(settings.BASE_DIR, "templates")
    for path in root.rglob("*.html"):
        if path.relative_to(root).parts[0] == SERVED_ONLY:
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in INLINE.items():
            if pattern.search(text):
                found.append(f"{path.relative_to(root)}: {what}")
    assert found == []
