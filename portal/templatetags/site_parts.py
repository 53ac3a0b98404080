"""``{% site_part "includes/footer.html" %}``: a part of every page that shows nothing but the
site's facts (portal/site.py), fixed links and text in the reader's language: the footer, the
visitor's navigation.

The part is rendered with only those facts in its context, never the request's, so it cannot
show anything of the visitor or of the data; its output is therefore the same for every
request in a language and is kept per language, URLconf and script prefix, until a setting
changes (the facts and static files' URLs are settings; tests override them). Rendering these
parts was about a tenth of a page that reads little (issue #15).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.site import site_context

register = template.Library()


@lru_cache(maxsize=64)
def _rendered(name: str, language: str | None, urlconf: str, prefix: str) -> str:
    # render_to_string's SafeString: a template's output is already escaped.
    return render_to_string(name, site_context())


def _urls() -> tuple[str, str]:
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@register.simple_tag
def site_part(name: str) -> str:
    return _rendered(name, get_language(), *_urls())


# What differs between two anonymous visitors' headers: the page they are on, which the
# language switch returns them to, and their CSRF token. The header is rendered once with these
# stand-ins (control characters, which escaping keeps and no page's path can hold) and they are
# put in per request.
_PAGE, _TOKEN = "\x00page\x00", "\x00token\x00"


class _Page:
    @staticmethod
    def get_full_path() -> str:
        return _PAGE


@lru_cache(maxsize=64)
def _visitor_header(language, urlconf, prefix, cycle: str | None, stages: tuple) -> str:
    context = {
        **site_context(),
        "user": AnonymousUser(),
        "request": _Page(),
        "csrf_token": _TOKEN,
        "LANGUAGE_CODE": language,
        "current_cycle": cycle,
        "current_stages": list(stages),
    }
    return render_to_string("includes/header.html", context)


@register.simple_tag(takes_context=True)
def visitor_header(context) -> str:
    """``includes/header.html`` as an anonymous visitor sees it, kept per language, URLconf,
    script prefix and cycle banner until a setting changes: the navigation and its
    translations are rendered once, not per request (issue #15)."""
    request = context["request"]
    cycle = context.get("current_cycle")
    stages = tuple(str(stage) for stage in context.get("current_stages") or ())
    header = _visitor_header(get_language(), *_urls(), str(cycle) if cycle else None, stages)
    page = escape(request.get_full_path())
    return mark_safe(header.replace(_PAGE, page).replace(_TOKEN, get_token(request)))  # noqa: S308 # nosec B308 B703


@receiver(setting_changed)
def _forget_parts(**kwargs) -> None:
    _rendered.cache_clear()
    _visitor_header.cache_clear()
