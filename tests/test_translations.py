"""The English catalogue is complete, compiled, and actually used by the pages.

The .po file is read with a tiny parser of our own (no polib dependency); the compiled .mo is
read with the standard library's gettext, the same way Django reads it.
"""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%%|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*[dsf]")
PORTAL_NAME_ZH = "安全生产诚信联动平台"
PORTAL_NAME_EN = "Work Safety Integrity Linkage Platform"


def _unquote(token):
    body = token.strip()[1:-1]
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body)


def read_po(path):
    """Entries as dicts: flags (set), msgid, msgid_plural, msgstr (list of forms)."""
    entries = []
    text = path.read_text(encoding="utf-8")
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#") for line in lines):
            continue  # obsolete (#~) entries and comment-only blocks
        flags, fields = set(), []  # fields: [name, [parts]] in file order
        for line in lines:
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[-1][1].append(_unquote(line))
            else:
                name, value = line.split(" ", 1)
                fields.append([name, [_unquote(value)]])
        values = {name: "".join(parts) for name, parts in fields}
        forms = sorted(
            (int(m.group(1)) if m.group(1) else 0, value)
            for name, value in values.items()
            if (m := re.fullmatch(r"msgstr(?:\[(\d+)\])?", name))
        )
        entries.append(
            {
                "flags": flags,
                "msgctxt": values.get("msgctxt"),
                "msgid": values["msgid"],
                "msgid_plural": values.get("msgid_plural"),
                "msgstr": [value for _index, value in forms],
            }
        )
    return entries


@pytest.fixture(scope="module")
def po_entries():
    return read_po(LC_MESSAGES / "django.po")


def test_catalogue_header_is_usable(po_entries):
    header = next(e for e in po_entries if e["msgid"] == "" and e["msgctxt"] is None)
    assert "fuzzy" not in header["flags"], "a fuzzy header is dropped by msgfmt"
    assert "Language: en" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]


def test_every_entry_is_translated_and_not_fuzzy(po_entries):
    entries = [e for e in po_entries if e["msgid"]]
    assert len(entries) > 400
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not e["msgstr"] or not all(e["msgstr"])]
    plural_short = [e["msgid"] for e in entries if e["msgid_plural"] and len(e["msgstr"]) != 2]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"
    assert not plural_short, f"plural entries without two forms: {plural_short}"


def test_translations_keep_their_placeholders(po_entries):
    wrong = []
    for e in po_entries:
        if not e["msgid"]:
            continue
        sources = [e["msgid"], e["msgid_plural"]] if e["msgid_plural"] else [e["msgid"]]
        for i, translation in enumerate(e["msgstr"]):
            source = sources[min(i, len(sources) - 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation)):
                wrong.append((source, translation))
    assert not wrong


def test_compiled_catalogue_matches_the_po(po_entries):
    """The committed .mo holds every entry of the .po, with the same translation."""
    with (LC_MESSAGES / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    missing = []
    for e in po_entries:
        if not e["msgid"]:
            continue
        ctx = e["msgctxt"]
        if e["msgid_plural"] and ctx is not None:
            got = [compiled.npgettext(ctx, e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif e["msgid_plural"]:
            got = [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif ctx is not None:
            got = [compiled.pgettext(ctx, e["msgid"])]
        else:
            got = [compiled.gettext(e["msgid"])]
        if got != e["msgstr"]:
            missing.append(e["msgid"])
    assert not missing, f"run compilemessages; stale or missing in django.mo: {missing[:5]}"


@pytest.mark.django_db
def test_english_home_page(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("portal:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in body
    assert PORTAL_NAME_EN in body
    assert PORTAL_NAME_ZH not in body


@pytest.mark.django_db
def test_chinese_remains_the_default(client):
    body = client.get(reverse("portal:home")).content.decode()
    assert PORTAL_NAME_ZH in body
    assert PORTAL_NAME_EN not in body


# Official documents (pdf/) are Chinese in either language; the language switcher names
# each language in itself; the last-resort error page is bilingual and loads nothing.
CHINESE_BY_DESIGN = {"500.html", "includes/language_switcher.html"}
TEMPLATE_TAGS = re.compile(
    r"{%\s*blocktranslate.*?%}.*?{%\s*endblocktranslate\s*%}|{%.*?%}|{{.*?}}|{#.*?#}", re.S
)
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def test_templates_leave_no_chinese_text_outside_translation_tags():
    """Chinese words or full-width punctuation written straight into a template would show on
    the English pages; joining punctuation goes through {% punct %}."""
    templates = Path(settings.BASE_DIR) / "templates"
    stray = {}
    for path in templates.rglob("*.html"):
        name = path.relative_to(templates).as_posix()
        if name.startswith("pdf/") or name in CHINESE_BY_DESIGN:
            continue
        text = TEMPLATE_TAGS.sub(" ", path.read_text(encoding="utf-8"))
        if found := CHINESE.findall(text):
            stray[name] = found[:5]
    assert not stray


@pytest.mark.django_db
def test_an_english_page_joins_labels_and_values_in_english(client, world):
    from tests.publication_support import publish_one as publish

    publish(world.unit, 2025, "92.0")  # the unit page then shows "证书编号：…"
    page = f"/search/units/{world.unit.credit_code}/"
    chinese = client.get(page).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(page).content.decode()
    assert "证书编号：" in chinese
    assert "Certificate" in english and "：" not in english
    # Chart descriptions are joined in Python (portal.punctuation), not in templates.
    stats = client.get("/stats/?cycle=2025").content.decode()
    assert "<desc" in stats and not set("：；，") & set(stats)
