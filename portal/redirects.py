"""Where a form may send the user back to: the one check every ``next`` passes through."""

import unicodedata

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def _is_local(url: str, request) -> bool:
    if any(unicodedata.category(character).startswith("C") for character in url):
        return False  # NUL, newlines and the like never belong in a page address
    return url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request, fallback: str, field: str = "next") -> str:
    """The ``next`` the form carried when it points into this site, else ``fallback``
    (a URL name or path). ``https://evil.example/``, ``//evil.example/`` and
    ``javascript:`` addresses fall back."""
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    if candidate and _is_local(candidate, request):
        return candidate
    return resolve_url(fallback)
