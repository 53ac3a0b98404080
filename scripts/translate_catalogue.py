#!/usr/bin/env python3
"""Fill a gettext catalogue (.po) from a reviewed JSON file, and check it. Standard library only.

The translations live in the .po file itself; this tool only moves the entries that still need a
translator's attention (empty or ``#, fuzzy``) out to JSON and the finished ones back in, checking
that every placeholder survives. Typical round after other engineers added strings::

    DATABASE_URL=... .venv/bin/python manage.py makemessages -l en --no-location \\
        -i '.venv/*' -i 'tests/*' -i 'staticfiles/*'
    .venv/bin/python scripts/translate_catalogue.py export locale/en/LC_MESSAGES/django.po todo.json
    # translate: fill "msgstr" (or each item of "msgstr_plural") in todo.json; a fuzzy entry's
    # current guess is already there; leave a msgstr empty to keep the entry on the to-do list
    .venv/bin/python scripts/translate_catalogue.py apply locale/en/LC_MESSAGES/django.po todo.json
    .venv/bin/python scripts/translate_catalogue.py check locale/en/LC_MESSAGES/django.po
    .venv/bin/python manage.py compilemessages -l en

``apply`` clears ``#, fuzzy`` (and the ``#|`` previous-msgid lines msgmerge adds) from every entry
it fills, clears the header's fuzzy flag, fills ``Language:`` from the catalogue's path, and
refuses an entry whose translation loses or invents a placeholder (``%(name)s``, ``%s``, ``%d``,
``%%``; blocktranslate's ``{{ var }}`` appears as ``%(var)s`` in the catalogue).
``check`` exits non-zero if any entry is empty, fuzzy or has mismatched placeholders.
If ``msgcat`` (GNU gettext) is installed the rewritten file is re-wrapped the way makemessages
writes it, so the diff shows only real changes.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# --- parsing ---------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


def _unquote(token: str) -> str:
    token = token.strip()
    if not (token.startswith('"') and token.endswith('"')):
        raise ValueError(f"not a quoted PO string: {token!r}")
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _quote(text: str) -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    parts = text.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    if len(lines) <= 1:
        return '"' + (lines[0] if lines else "") + '"'
    return '""\n' + "\n".join(f'"{line}"' for line in lines)


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)  # "#", "#.", "#:" lines, kept verbatim
    flags: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)  # "#|" lines
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    raw: list[str] | None = None  # obsolete ("#~") blocks are kept verbatim

    @property
    def is_header(self) -> bool:
        return self.raw is None and self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural.get(i, "") for i in range(max(len(self.msgstr_plural), 2))]
        return [self.msgstr]

    @property
    def untranslated(self) -> bool:
        return any(not t for t in self.translations())

    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)

    def render(self) -> str:
        if self.raw is not None:
            return "\n".join(self.raw)
        lines = list(self.comments)
        if self.flags:
            lines.append("#, " + ", ".join(self.flags))
        lines += self.previous
        if self.msgctxt is not None:
            lines.append("msgctxt " + _quote(self.msgctxt))
        lines.append("msgid " + _quote(self.msgid))
        if self.msgid_plural is not None:
            lines.append("msgid_plural " + _quote(self.msgid_plural))
            for i in sorted(self.msgstr_plural):
                lines.append(f"msgstr[{i}] " + _quote(self.msgstr_plural[i]))
        else:
            lines.append("msgstr " + _quote(self.msgstr))
        return "\n".join(lines)


_FIELD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr\[(\d+)\]|msgstr)\s+(\".*\")\s*$")


def parse(text: str) -> list[Entry]:
    entries: list[Entry] = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("#") for line in lines):
            # obsolete entries ("#~") and stray comment blocks are kept as they are
            entries.append(Entry(raw=lines))
            continue
        entry = Entry()
        fields: list[tuple[str, str | None, list[str]]] = []
        for line in lines:
            if line.startswith("#,"):
                entry.flags += [f.strip() for f in line[2:].split(",") if f.strip()]
            elif line.startswith("#|"):
                entry.previous.append(line)
            elif line.startswith("#"):
                entry.comments.append(line)
            elif line.startswith('"'):
                if not fields:
                    raise ValueError(f"continuation line without a field: {line!r}")
                fields[-1][2].append(_unquote(line))
            else:
                m = _FIELD.match(line)
                if not m:
                    raise ValueError(f"cannot parse PO line: {line!r}")
                fields.append((m.group(1), m.group(2), [_unquote(m.group(3))]))
        for name, index, parts in fields:
            value = "".join(parts)
            if name == "msgctxt":
                entry.msgctxt = value
            elif name == "msgid":
                entry.msgid = value
            elif name == "msgid_plural":
                entry.msgid_plural = value
            elif name == "msgstr":
                entry.msgstr = value
            else:
                entry.msgstr_plural[int(index)] = value
        entries.append(entry)
    return entries


def load(path: Path) -> list[Entry]:
    return parse(path.read_text(encoding="utf-8"))


def save(path: Path, entries: list[Entry]) -> None:
    path.write_text("\n\n".join(e.render() for e in entries) + "\n", encoding="utf-8")
    msgcat = shutil.which("msgcat")
    if msgcat:
        subprocess.run([msgcat, "--no-location", "-o", str(path), str(path)], check=True)


# --- placeholders ----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"%%|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"
)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def problems(entry: Entry) -> list[str]:
    """Placeholder and markup mismatches between an entry's msgid(s) and its translation(s)."""
    if entry.raw is not None or entry.is_header:
        return []
    out = []
    sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
    formatted = "python-format" in entry.flags or any(_PLACEHOLDER.search(s) for s in sources)
    for i, translation in enumerate(entry.translations()):
        if not translation:
            continue
        source = sources[min(i, len(sources) - 1)]
        if formatted:
            want, got = placeholders(source), placeholders(translation)
            if entry.msgid_plural is not None:
                # a singular form may spell the count out ("one unit"); it must invent nothing
                want_set = set(placeholders(entry.msgid)) | set(placeholders(entry.msgid_plural))
                if not set(got) <= want_set or (i > 0 and set(want) - set(got)):
                    out.append(f"placeholders {want} -> {got}")
            elif want != got:
                out.append(f"placeholders {want} -> {got}")
        if sorted(_HTML_TAG.findall(source)) != sorted(_HTML_TAG.findall(translation)):
            out.append("HTML tags differ")
        if source.startswith("\n") != translation.startswith("\n") or source.endswith(
            "\n"
        ) != translation.endswith("\n"):
            out.append("leading/trailing newline differs")
    return out


# --- commands --------------------------------------------------------------------------------


def _language_from_path(path: Path) -> str | None:
    parts = path.resolve().parts
    if "LC_MESSAGES" in parts:
        return parts[parts.index("LC_MESSAGES") - 1]
    return None


def cmd_export(po: Path, out: Path, include_all: bool) -> int:
    items = []
    for e in load(po):
        if e.raw is not None or e.is_header:
            continue
        if not include_all and not (e.fuzzy or e.untranslated):
            continue
        item = {"msgid": e.msgid}
        if e.msgctxt is not None:
            item["msgctxt"] = e.msgctxt
        if e.comments:
            item["comments"] = [c for c in e.comments if c.startswith(("#.", "#:"))]
        if e.previous:
            item["previous"] = e.previous
        if e.fuzzy:
            item["fuzzy"] = True
        if e.msgid_plural is not None:
            item["msgid_plural"] = e.msgid_plural
            item["msgstr_plural"] = e.translations()
        else:
            item["msgstr"] = e.msgstr
        items.append(item)
    out.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(items)} entries written to {out}")
    return 0


def cmd_apply(po: Path, source: Path) -> int:
    entries = load(po)
    by_key = {e.key(): e for e in entries if e.raw is None and not e.is_header}
    items = json.loads(source.read_text(encoding="utf-8"))
    filled = skipped = 0
    errors = []
    for item in items:
        key = (item.get("msgctxt"), item["msgid"], item.get("msgid_plural"))
        entry = by_key.get(key)
        if entry is None:
            skipped += 1
            print(f"not in catalogue (stale?): {item['msgid'][:60]!r}", file=sys.stderr)
            continue
        if entry.msgid_plural is not None:
            forms = list(item.get("msgstr_plural") or [])
            if not forms or any(not f for f in forms):
                continue
            candidate = Entry(
                flags=entry.flags,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr_plural=dict(enumerate(forms)),
            )
        else:
            if not item.get("msgstr"):
                continue
            candidate = Entry(flags=entry.flags, msgid=entry.msgid, msgstr=item["msgstr"])
        found = problems(candidate)
        if found:
            errors.append(f"{entry.msgid[:60]!r}: {'; '.join(found)}")
            continue
        entry.msgstr, entry.msgstr_plural = candidate.msgstr, candidate.msgstr_plural
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.previous = []
        filled += 1
    for e in entries:
        if e.is_header:
            e.flags = [f for f in e.flags if f != "fuzzy"]
            language = _language_from_path(po)
            if language:
                e.msgstr = re.sub(r"(?m)^Language: *$", f"Language: {language}", e.msgstr)
    save(po, entries)
    print(f"{filled} entries filled, {skipped} not in the catalogue, {len(errors)} refused")
    for error in errors:
        print("refused:", error, file=sys.stderr)
    return 1 if errors else 0


def report(po: Path) -> list[str]:
    """Everything that keeps a catalogue from being complete (empty, fuzzy, bad placeholders)."""
    out = []
    for e in load(po):
        if e.raw is not None:
            continue
        label = "header" if e.is_header else repr(e.msgid[:60])
        if e.fuzzy:
            out.append(f"fuzzy: {label}")
        if not e.is_header and e.untranslated:
            out.append(f"untranslated: {label}")
        out += [f"{p}: {label}" for p in problems(e)]
    return out


def cmd_check(po: Path) -> int:
    found = report(po)
    for line in found:
        print(line)
    total = sum(1 for e in load(po) if e.raw is None and not e.is_header)
    print(f"{total} entries, {len(found)} problems")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export", help="write entries needing translation to JSON")
    p.add_argument("po", type=Path)
    p.add_argument("json", type=Path)
    p.add_argument("--all", action="store_true", help="export every entry (for a review pass)")
    p = sub.add_parser("apply", help="fill the catalogue from a JSON file written by export")
    p.add_argument("po", type=Path)
    p.add_argument("json", type=Path)
    p = sub.add_parser("check", help="list empty, fuzzy and placeholder-mismatched entries")
    p.add_argument("po", type=Path)
    args = parser.parse_args(argv)
    if args.command == "export":
        return cmd_export(args.po, args.json, args.all)
    if args.command == "apply":
        return cmd_apply(args.po, args.json)
    return cmd_check(args.po)


if __name__ == "__main__":
    sys.exit(main())
