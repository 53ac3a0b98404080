"""``{% link "portal:guide" %}``: ``{% url %}`` for a URL name without arguments, reversed once.

The navigation and footer on every page link a score of fixed addresses; ``reverse`` walks the
URL resolver for each (tens of microseconds apiece, a millisecond a page). A fixed name's path
depends only on the URLconf, the script prefix and (with translated patterns) the language, so
the answer is kept per those. URLs with arguments keep using ``{% url %}``.
"""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=512)
def _reversed(urlconf: str, prefix: str, language: str | None, name: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def link(name: str) -> str:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reversed(urlconf, get_script_prefix(), get_language(), name)
