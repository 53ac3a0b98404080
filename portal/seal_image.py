"""The picture of the bureau's round seal (公章) printed on its documents.

Drawn with Pillow in the shipped font: the bureau's name along the upper arc, a five-pointed
star in the middle, an optional use ("受理专用章") across the lower half. A raster image with a
transparent background and slightly translucent red, so whatever it is placed near stays
readable. It only looks like a seal; what proves a document is the PAdES signature
(ratings/seal.py) and the public verification page its QR code points to.
"""

from __future__ import annotations

import base64
import math
from functools import lru_cache
from io import BytesIO

from django.conf import settings
from django.utils import translation
from PIL import Image, ImageColor, ImageDraw, ImageFont

from portal.pdf import font_files

SIZE = 480  # pixels; printed at 40 mm this is about 300 dpi
RED = (214, 24, 32, 225)
RING = 16
ARC_DEGREES = 216  # how much of the circle the name spans, centred on the top


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_files()["bold"]), size)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for index in range(10):
        r = radius if index % 2 == 0 else radius * 0.382
        angle = math.radians(-90 + index * 36)
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=RED)


def _arc_text(image: Image.Image, text: str, char_size: int, radius: float) -> None:
    font = _font(char_size)
    centre = SIZE / 2
    step = ARC_DEGREES / max(len(text) - 1, 1)
    for index, char in enumerate(text):
        # Degrees clockwise from the top; the name runs left to right over the top.
        angle = -ARC_DEGREES / 2 + index * step
        glyph = Image.new("RGBA", (char_size * 2, char_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((char_size, char_size), char, font=font, fill=RED, anchor="mm")
        glyph = glyph.rotate(-angle, resample=Image.Resampling.BICUBIC)
        theta = math.radians(angle - 90)
        x = centre + radius * math.cos(theta) - char_size
        y = centre + radius * math.sin(theta) - char_size
        image.alpha_composite(glyph, (round(x), round(y)))


@lru_cache(maxsize=8)
def seal_png(name: str, use: str = "") -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((RING / 2, RING / 2, SIZE - RING / 2, SIZE - RING / 2), outline=RED, width=RING)
    char_size = 56 if len(name) <= 12 else 46
    _arc_text(image, name, char_size, SIZE / 2 - RING - char_size * 0.72)
    _star(draw, SIZE / 2, SIZE / 2, SIZE * 0.15)
    if use:
        draw.text((SIZE / 2, SIZE * 0.71), use, font=_font(40), fill=RED, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def seal_on_paper(name: str, use: str, paper: str) -> bytes:
    """The seal printed on paper of colour ``paper`` (``#rrggbb``): an opaque JPEG. WeasyPrint
    copies a JPEG into the PDF as it is, where a transparent PNG is decoded, split into colour
    and alpha and PNG-encoded twice on every document (docs/benchmarks/certificates.md). At
    this size (480 px for 33 mm, about 370 dpi), quality 92 without chroma subsampling, the
    edges of the red strokes print as sharp as the PNG's."""
    seal = Image.open(BytesIO(seal_png(name, use)))
    sheet = Image.new("RGBA", seal.size, ImageColor.getrgb(paper) + (255,))
    sheet.alpha_composite(seal)
    buffer = BytesIO()
    sheet.convert("RGB").save(buffer, format="JPEG", quality=92, subsampling=0)
    return buffer.getvalue()


def bureau_seal(use: str = "", *, paper: str | None = None) -> str:
    """``data:`` URI of the bureau's seal, for ``<img src>`` in a PDF template. The name on a
    seal is Chinese whatever language the request that renders the document asked for.

    Where the seal stands on a plain background of one colour and covers no text (the
    certificate), pass that colour as ``paper`` for an opaque picture that is cheaper to print;
    where it may overlap text, leave it transparent."""
    with translation.override("zh-hans"):
        name = str(settings.BUREAU_NAME)
    if paper:
        return (
            "data:image/jpeg;base64," + base64.b64encode(seal_on_paper(name, use, paper)).decode()
        )
    return "data:image/png;base64," + base64.b64encode(seal_png(name, use)).decode()
