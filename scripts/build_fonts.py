#!/usr/bin/env python3
"""Build the PDF fonts shipped in static/fonts/ from Debian's Noto Serif CJK.

Run once by a developer (output is committed); needs fontTools (in the [dev] extras) and
Debian's ``fonts-noto-cjk``::

    .venv/bin/python scripts/build_fonts.py

What it does, per weight (Regular, Bold):

1. opens face 2 of ``NotoSerifCJK-<Weight>.ttc`` (the Simplified Chinese face, "Noto Serif CJK SC");
2. subsets it to: ASCII + Latin-1, General Punctuation, CJK Symbols and Punctuation, fullwidth
   forms, enclosed alphanumerics (①-⑳ ⑴-⒇ ⒈-⒛), parenthesised/circled ideographs (㈠-㈩ ㊀-㊉),
   ★☆, every other non-private-use BMP character that encodes in GBK (Greek, Cyrillic, pinyin
   tone letters, box drawing, Roman numerals, ℃ № ...), and every CJK Unified Ideograph
   (U+4E00..U+9FFF, U+3400..U+4DBF) that encodes in GBK -- the character set registered unit
   names are drawn from (堃, 昇, 喆 are in it; GB2312 alone lacks them);
3. converts the CFF outlines to TrueType quadratic outlines (cu2qu, max error 1 font unit of
   1000/em), because WeasyPrint subsets TrueType fonts several times faster than CFF;
4. renames the family to "Noto Serif SC" (PostScript NotoSerifSC-Regular / -Bold) so embedded
   subsets are distinguishable from the system's "Noto Serif CJK SC";
5. writes ``static/fonts/NotoSerifSC-<Weight>.ttf`` and ``static/fonts/OFL.txt``.

Prints glyph counts, sizes and timings (copy them into docs/decisions/0002-pdf-font.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "static" / "fonts"
SRC_DIR = Path("/usr/share/fonts/opentype/noto")
SC_FACE_INDEX = 2  # JP=0, KR=1, SC=2, TC=3, HK=4 in Debian's NotoSerifCJK-*.ttc
COPYRIGHT_FILE = Path("/usr/share/doc/fonts-noto-cjk/copyright")

FAMILY = "Noto Serif SC"
PS_PREFIX = "NotoSerifSC"
MAX_ERR = 1.0  # font units (UPM 1000): invisible at any print size
WEIGHTS = ("Regular", "Bold")
LAYOUT_FEATURES = ["ccmp", "kern", "liga", "calt", "mark", "mkmk", "rlig", "palt", "halt"]

EXPLICIT_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x2460, 0x24FF),  # Enclosed Alphanumerics: ①-⑳ ⑴-⒇ ⒈-⒛ Ⓐ...
    (0x2605, 0x2606),  # ★ ☆
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3220, 0x3243),  # ㈠-㈩ parenthesised ideographs
    (0x3280, 0x32B0),  # ㊀-㊉ circled ideographs
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]
IDEOGRAPH_RANGES = [(0x4E00, 0x9FFF), (0x3400, 0x4DBF)]


def encodes_in_gbk(ch: str) -> bool:
    try:
        ch.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def wanted_codepoints() -> tuple[set[int], set[int]]:
    """Return (ideographs, everything else) wanted in the subset."""
    ideographs = {
        cp for lo, hi in IDEOGRAPH_RANGES for cp in range(lo, hi + 1) if encodes_in_gbk(chr(cp))
    }
    other = {cp for lo, hi in EXPLICIT_RANGES for cp in range(lo, hi + 1)}
    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp <= 0xF8FF:  # surrogates and private use (GBK maps some PUA)
            continue
        if cp in ideographs or 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF:
            continue
        if encodes_in_gbk(chr(cp)):
            other.add(cp)
    return ideographs, other


def otf_to_ttf(font: TTFont, max_err: float = MAX_ERR) -> None:
    """Replace CFF outlines with TrueType ones (after fontTools' Snippets/otf2ttf.py)."""
    assert font.sfntVersion == "OTTO" and "CFF " in font
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    quad = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        quad[name] = tt_pen.glyph()

    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = quad
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)

    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)

    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.compile(font)

    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, not needed for PDF embedding
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, weight: str) -> None:
    name = font["name"]
    full = f"{FAMILY} {weight}" if weight != "Regular" else f"{FAMILY} Regular"
    ps = f"{PS_PREFIX}-{weight}"
    version = name.getDebugName(5) or "Version 2"
    # Drop typographic family/subfamily and anything else naming the original family.
    for rec in list(name.names):
        if rec.nameID in (1, 2, 3, 4, 6, 16, 17, 21, 22):
            name.removeNames(nameID=rec.nameID)
    for nid, value in (
        (1, FAMILY),
        (2, weight),
        (3, f"{version};{ps};subset-gbk-ttf"),
        (4, full),
        (6, ps),
    ):
        name.setName(value, nid, 3, 1, 0x409)
        name.setName(value, nid, 1, 0, 0)
    font["OS/2"].usWeightClass = 700 if weight == "Bold" else 400
    if weight == "Bold":
        font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0x0040) | 0x0020
        font["head"].macStyle |= 0x01
    else:
        font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0x0020) | 0x0040


def build_one(weight: str, out_dir: Path, max_err: float) -> dict:
    t0 = time.perf_counter()
    src = SRC_DIR / f"NotoSerifCJK-{weight}.ttc"
    font = TTFont(src, fontNumber=SC_FACE_INDEX, lazy=False)
    face = font["name"].getDebugName(4)
    if "SC" not in face:
        raise SystemExit(f"face {SC_FACE_INDEX} of {src} is {face!r}, not SC")
    cmap = font.getBestCmap()
    ideographs, other = wanted_codepoints()
    missing_ideographs = sorted(cp for cp in ideographs if cp not in cmap)
    unicodes = (ideographs | other) & set(cmap)

    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.name_languages = [0x409]
    opts.name_legacy = True
    opts.notdef_outline = True
    # Horizontal Chinese/Latin text only. The default feature list would keep 'locl' (the JP, KR,
    # TC and HK glyph variants stored in the SC face) and vertical forms, nearly doubling the
    # glyph count (40,174 instead of ~22,300 glyphs).
    opts.layout_features = LAYOUT_FEATURES
    opts.hinting = False  # CFF hints do not survive the TrueType conversion anyway
    opts.desubroutinize = True
    opts.drop_tables += ["VORG", "DSIG"]
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    t_subset = time.perf_counter()

    otf_to_ttf(font, max_err)
    rename(font, weight)
    t_convert = time.perf_counter()

    out = out_dir / f"{PS_PREFIX}-{weight}.ttf"
    font.save(out)
    t_save = time.perf_counter()

    check = TTFont(out)
    out_cmap = check.getBestCmap()
    return {
        "weight": weight,
        "path": str(out.relative_to(ROOT)) if out.is_relative_to(ROOT) else str(out),
        "bytes": out.stat().st_size,
        "glyphs": check["maxp"].numGlyphs,
        "codepoints": len(out_cmap),
        "ideographs": sum(1 for cp in out_cmap if 0x3400 <= cp <= 0x9FFF),
        "gbk_ideographs_wanted": len(ideographs),
        "gbk_ideographs_missing": [chr(cp) for cp in missing_ideographs],
        "seconds_subset": round(t_subset - t0, 1),
        "seconds_convert": round(t_convert - t_subset, 1),
        "seconds_save": round(t_save - t_convert, 1),
        "seconds_total": round(t_save - t0, 1),
    }


def write_license(out_dir: Path) -> None:
    font = TTFont(SRC_DIR / "NotoSerifCJK-Regular.ttc", fontNumber=SC_FACE_INDEX, lazy=True)
    copyright_line = font["name"].getDebugName(0) or "Copyright 2017 Adobe Systems Incorporated."
    text = COPYRIGHT_FILE.read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("License: SIL-1.1", lines.index("License: SIL-1.1") + 1)
    body = []
    for line in lines[start + 1 :]:
        if line and not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    header = (
        "NotoSerifSC-Regular.ttf and NotoSerifSC-Bold.ttf are Modified Versions of\n"
        "Noto Serif CJK SC (https://github.com/googlefonts/noto-cjk), made by\n"
        "scripts/build_fonts.py from Debian's fonts-noto-cjk package: subset to the GBK\n"
        "character repertoire, outlines converted from CFF to TrueType, renamed\n"
        '"Noto Serif SC". They remain under the SIL Open Font License 1.1 below.\n\n'
        f"{copyright_line}\n"
        "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.\n\n"
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at:\n"
        "https://openfontlicense.org\n\n"
    )
    (out_dir / "OFL.txt").write_text(header + "\n".join(body).rstrip() + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--max-err", type=float, default=MAX_ERR)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=len(WEIGHTS)) as pool:
        results = list(pool.map(build_one, WEIGHTS, [args.out] * 2, [args.max_err] * 2))
    write_license(args.out)
    for r in results:
        missing = r.pop("gbk_ideographs_missing")
        print(
            f"{r['path']}: {r['bytes'] / 1e6:.2f} MB, {r['glyphs']} glyphs, "
            f"{r['codepoints']} code points ({r['ideographs']} ideographs of "
            f"{r['gbk_ideographs_wanted']} GBK), missing from source: {len(missing)} "
            f"{''.join(missing[:40])}; subset {r['seconds_subset']} s, "
            f"cu2qu {r['seconds_convert']} s, save {r['seconds_save']} s, "
            f"total {r['seconds_total']} s"
        )
    total = sum(r["bytes"] for r in results)
    print(f"pair: {total / 1e6:.2f} MB; wall time {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
