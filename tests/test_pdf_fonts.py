"""PDFs use the shipped Noto Serif SC subsets, and those fonts cover the names we print.

Text extraction alone proves nothing (WeasyPrint writes the right text even when every glyph is
an empty box), so these tests check the embedded fonts with ``pdffonts``, the text with
``pdftotext`` and the rendered page with ``pdftoppm``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings
from fontTools.ttLib import TTFont

from portal.pdf import FONT_FAMILY, font_files, pdf_response, render_pdf, unsupported_characters

SAMPLE_TEXT = "新郑市安全生产监督管理局"
RARE_TEXT = "堃昇喆"

TEMPLATE = """{% extends "pdf/base.html" %}
{% block title %}字体测试{% endblock %}
{% block content %}
<h1>安全生产诚信等级证书</h1>
<p class="indent">{{ unit }}：经考评，你单位被评为<b>四星级</b>（★★★★☆）安全生产诚信单位。①②③</p>
<table>
  <thead><tr><th>单位名称</th><th class="num">得分</th></tr></thead>
  <tbody><tr><td>{{ rare }}实业有限公司</td><td class="num">94.9</td></tr></tbody>
</table>
<div style="margin-top: 6cm; font-size: 28pt; text-align: center; font-weight: 700">{{ unit }}</div>
<div style="font-size: 28pt; text-align: center">{{ rare }}</div>
{% endblock %}
"""

# Registered unit names seen in the field, including characters outside GB2312.
SAMPLE_UNIT_NAMES = [
    "新郑市安全生产监督管理局",
    "郑州市堃昇建筑工程有限公司",
    "新郑市喆源食品有限责任公司",
    "河南省龙湖镇玥珺商贸有限公司",
    "新郑市薛店镇燚鑫耐火材料厂",
    "郑州犇骉物流有限公司",
    "新郑市淼垚化工有限公司",
    "郑州昇暘电力设备有限公司",
    "新郑市辛店镇煜祺彩印厂（普通合伙）",
    "郑州赟鼎机械制造有限公司",
    "新郑市龙王乡瑄琦农业专业合作社",
    "中国石化销售股份有限公司河南郑州新郑加油站",
]

POPPLER = ("pdffonts", "pdftotext", "pdftoppm")


def _require_poppler():
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"poppler-utils missing: {missing}")
        pytest.skip(f"poppler-utils missing: {missing} (apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    template_dir = tmp_path_factory.mktemp("templates")
    (template_dir / "font_probe.html").write_text(TEMPLATE, encoding="utf-8")
    from django.conf import settings

    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], template_dir]
    with override_settings(TEMPLATES=templates):
        pdf = render_pdf("font_probe.html", {"unit": SAMPLE_TEXT, "rare": RARE_TEXT})
    assert pdf.startswith(b"%PDF-")
    path = tmp_path_factory.mktemp("pdf") / "probe.pdf"
    path.write_bytes(pdf)
    return path


def test_only_shipped_fonts_are_embedded(sample_pdf):
    _require_poppler()
    out = subprocess.run(
        ["pdffonts", str(sample_pdf)], check=True, capture_output=True, text=True
    ).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    names = set()
    for row in rows:
        name, emb = row[0], row[-5]  # columns: name type... encoding emb sub uni object ID
        # WeasyPrint names the subset after the CSS family: "ABCDEF+Noto-Serif-SC[-Bold]"
        # (the system font would appear as "...+Noto-Serif-CJK-SC...").
        assert re.fullmatch(r"[A-Z]{6}\+Noto-Serif-SC(-Bold)?", name), out
        assert emb == "yes", out
        names.add(name.split("+", 1)[1])
    assert names == {"Noto-Serif-SC", "Noto-Serif-SC-Bold"}, out


def test_text_is_extractable(sample_pdf):
    _require_poppler()
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(sample_pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert SAMPLE_TEXT in flat
    assert RARE_TEXT in flat
    assert "第1页/共1页" in flat  # footer page numbers


def test_page_renders_ink_in_the_centre(sample_pdf, tmp_path):
    _require_poppler()
    from PIL import Image

    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(sample_pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    (png,) = tmp_path.glob("p*.png")
    with Image.open(png) as image:
        gray = image.convert("L")
        width, height = gray.size
        assert (width, height) == pytest.approx((496, 702), abs=2)  # A4 at 60 dpi
        centre = gray.crop((width // 5, height * 2 // 5, width * 4 // 5, height * 3 // 5))
        dark = sum(centre.histogram()[:128])
    assert dark > 0.01 * centre.width * centre.height, f"centre of {png} looks blank"


def test_shipped_fonts_cover_gbk_ideographs_and_sample_names():
    for path in font_files().values():
        font = TTFont(path, lazy=True)
        assert font["name"].getDebugName(1) == FONT_FAMILY
        cmap = font.getBestCmap()
        names = "".join(SAMPLE_UNIT_NAMES) + RARE_TEXT
        missing = {ch for ch in names if ord(ch) not in cmap}
        assert not missing, f"{path.name} lacks {''.join(sorted(missing))}"
        gbk = []
        for cp in range(0x4E00, 0xA000):
            try:
                chr(cp).encode("gbk")
            except UnicodeEncodeError:
                continue
            gbk.append(cp)
        absent = [chr(cp) for cp in gbk if cp not in cmap]
        assert len(gbk) == 20902 and not absent, "".join(absent[:50])
        for ch in "（）、，。：；“”《》【】·—①⑳★☆℃№ⅠⅫ％０９ＡＺ":
            assert ord(ch) in cmap, ch


def test_unsupported_characters_helper():
    assert unsupported_characters("".join(SAMPLE_UNIT_NAMES)) == set()
    assert unsupported_characters("𠀀a") == {"𠀀"}  # CJK Ext. B: not in the shipped fonts


def test_pdf_response_has_rfc5987_filename():
    response = pdf_response(b"%PDF-1.7 test", "受理回执单-2026-001.pdf")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="2026-001.pdf"' in disposition
    assert (
        "filename*=UTF-8''%E5%8F%97%E7%90%86%E5%9B%9E%E6%89%A7%E5%8D%95-2026-001.pdf" in disposition
    )
    assert response.content == b"%PDF-1.7 test"
