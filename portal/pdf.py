"""Render Django templates to PDF with WeasyPrint, in the shipped Noto Serif SC fonts.

Usage::

    from portal.pdf import pdf_response, render_pdf

    pdf = render_pdf("pdf/receipt.html", {"application": app}, request=request)
    return pdf_response(pdf, f"受理回执单-{app.number}.pdf")

Templates ``{% extends "pdf/base.html" %}`` and fill ``{% block content %}`` (optionally
``{% block title %}`` and ``{% block extra_style %}``). ``base.html`` declares ``@font-face``
for ``static/fonts/NotoSerifSC-{Regular,Bold}.ttf`` (GBK repertoire, TrueType outlines: see
docs/decisions/0002-pdf-font.md) and uses only that family plus ``serif``, so Chinese text never
silently falls back to a system font.

Resources are fetched only from ``file:`` URLs under the project's static directories and media
root, and ``data:`` URLs (e.g. QR codes from segno); anything else (http, other paths) is
refused, so a rendered document cannot make the server fetch arbitrary URLs.
"""

from __future__ import annotations

import urllib.request
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from portal.downloads import download_response

__all__ = [
    "FONT_FAMILY",
    "font_files",
    "pdf_response",
    "qr_data_uri",
    "render_pdf",
    "unsupported_characters",
]

FONT_FAMILY = "Noto Serif SC"
FONT_FILES = {"regular": "NotoSerifSC-Regular.ttf", "bold": "NotoSerifSC-Bold.ttf"}

# One FontConfiguration per process: WeasyPrint caches @font-face files in it by descriptor,
# so reusing it avoids re-reading the 10 MB font files on every render.
FONT_CONFIG = FontConfiguration()


def fonts_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "fonts"


def font_files() -> dict[str, Path]:
    """Paths of the shipped font files, keyed 'regular' / 'bold'."""
    return {key: fonts_dir() / name for key, name in FONT_FILES.items()}


@lru_cache(maxsize=1)
def _font_codepoints() -> frozenset[int]:
    # fontTools comes with WeasyPrint; reading only the cmap of the 10 MB file takes ~0.1 s.
    from fontTools.ttLib import TTFont

    font = TTFont(font_files()["regular"], lazy=True)
    return frozenset(font.getBestCmap())


def unsupported_characters(text: str) -> set[str]:
    """Characters of ``text`` the shipped PDF font cannot draw (whitespace/controls ignored).

    Use it to test demo/imported unit names, or to warn when a registered name needs a
    character outside the GBK repertoire (it would print from a system font, or as a box).
    """
    codepoints = _font_codepoints()
    return {ch for ch in text if ord(ch) > 0x20 and ord(ch) not in codepoints}


def _allowed_roots() -> tuple[Path, ...]:
    roots = [Path(settings.BASE_DIR) / "static"]
    for entry in getattr(settings, "STATICFILES_DIRS", ()):
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    for name in ("STATIC_ROOT", "MEDIA_ROOT"):
        value = getattr(settings, name, None)
        if value:
            roots.append(Path(value))
    return tuple(root.resolve() for root in roots)


class _LocalFilesFetcher(URLFetcher):
    """Fetch only data: URLs and files under the static/media roots."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.lower().startswith("file:"):
            path = Path(urllib.request.url2pathname(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in _allowed_roots()):
                raise ValueError(f"PDF resource outside static/media roots refused: {url}")
        return super().fetch(url, headers)


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF bytes."""
    fonts = font_files()
    full_context = {
        **context,
        "pdf_font_family": FONT_FAMILY,
        "pdf_fonts": {key: path.as_uri() for key, path in fonts.items()},
    }
    # The documents are Chinese official documents whatever language the reader's UI is in:
    # reference names (industries, departments, cycle years) print as registered.
    with translation.override("zh-hans"):
        html = render_to_string(template_name, full_context, request=request)
    document = HTML(
        string=html,
        base_url=Path(settings.BASE_DIR).as_uri() + "/",
        url_fetcher=_LocalFilesFetcher(),
    )
    return document.write_pdf(font_config=FONT_CONFIG)


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` for ``<img src>``, made offline: a PNG of one pixel per module,
    printed without smoothing (``image-rendering: pixelated`` in base.html) so its squares stay
    sharp at any size. An SVG drew the same squares as ~1,000 path segments for WeasyPrint
    to parse and lay out on every certificate (docs/benchmarks/certificates.md)."""
    import segno

    return segno.make(url, error="m").png_data_uri(scale=1, border=2)


def pdf_response(pdf_bytes: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """HttpResponse with the PDF as a download named ``filename`` (Chinese names are fine)."""
    return download_response(pdf_bytes, "application/pdf", filename, inline=inline)
