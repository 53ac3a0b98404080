"""``{% site_part "includes/footer.html" %}``: a part of every page that shows nothing but the
site's facts (portal/site.py), fixed links and text in the reader's language: the footer, the
visitor's navigation.

The part is rendered with only those facts in its context, never the request's, so it cannot
show anything of the visitor or of the data; its output is therefore the same for every
request in a language and is kept per language, facts, URLconf and script prefix. Rendering
these parts was about a tenth of a page that reads little (issue #15).
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from portal.site import site_context

register = template.Library()


@lru_cache(maxsize=64)
def _rendered(name: str, language: str | None, facts: str, urlconf: str, prefix: str) -> str:
    # render_to_string's SafeString: a template's output is already escaped.
    return render_to_string(name, site_context())


@register.simple_tag
def site_part(name: str) -> str:
    context = site_context()
    facts = repr([str(context["PORTAL_NAME"]), str(context["BUREAU_NAME"]), context["SITE"]])
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _rendered(name, get_language(), facts, urlconf, get_script_prefix())
