"""Where things landed on a PDF's pages, read with poppler (what a reader sees, not the HTML).

``lines(pdf)``: per page, the text lines in reading order with their boxes
(``pdftotext -bbox-layout``); ``images(pdf)``: per page, the raster images' boxes
(``pdftohtml -xml``). Coordinates are PDF points from the page's top-left corner.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def intersects(self, other: Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


@dataclass(frozen=True)
class Line:
    text: str
    box: Box


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"poppler-utils missing ({name})")
    return path


def lines(pdf: bytes) -> list[list[Line]]:
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "document.pdf"
        source.write_bytes(pdf)
        html = subprocess.run(
            [_tool("pdftotext"), "-bbox-layout", "-enc", "UTF-8", str(source), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", html))
    pages = []
    for page in root.iterfind(".//x:page", namespace):
        found = []
        for line in page.iterfind(".//x:line", namespace):
            words = [word.text or "" for word in line.iterfind("x:word", namespace)]
            box = Box(*(float(line.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")))
            found.append(Line("".join(words), box))
        pages.append(sorted(found, key=lambda line: (line.box.top, line.box.left)))
    return pages


def images(pdf: bytes) -> list[list[Box]]:
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                _tool("pdftohtml"),
                "-xml",
                "-q",
                "-zoom",
                "1",
                str(source),
                str(Path(directory) / "out"),
            ],
            check=True,
            capture_output=True,
        )
        root = ET.parse(Path(directory) / "out.xml").getroot()
    pages = []
    for page in root.iter("page"):
        pages.append(
            [
                Box(
                    float(image.get("left")),
                    float(image.get("top")),
                    float(image.get("left")) + float(image.get("width")),
                    float(image.get("top")) + float(image.get("height")),
                )
                for image in page.iter("image")
            ]
        )
    return pages


def line_with(pages: list[list[Line]], fragment: str) -> tuple[int, Line]:
    for number, page in enumerate(pages):
        for line in page:
            if fragment in line.text:
                return number, line
    raise AssertionError(
        f"{fragment!r} is on no page: {[each.text for page in pages for each in page]}"
    )
