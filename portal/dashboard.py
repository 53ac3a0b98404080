"""What awaits a signed-in user. Each stage app contributes sections from its own
``<app>/dashboard.py`` (``def sections(user) -> list[Section]``); portal only assembles them."""

from dataclasses import dataclass, field
from importlib import import_module

STAGE_APPS = ("units", "assessments", "ratings", "linkage")


@dataclass
class Entry:
    label: str
    url: str = ""
    meta: str = ""


@dataclass
class Section:
    title: str
    entries: list[Entry] = field(default_factory=list)
    count: int | None = None
    more_url: str = ""
    empty_text: str = ""


def sections_for(user) -> list[Section]:
    collected: list[Section] = []
    for app in STAGE_APPS:
        try:
            module = import_module(f"{app}.dashboard")
        except ModuleNotFoundError as error:
            if error.name != f"{app}.dashboard":
                raise
            continue
        collected.extend(module.sections(user))
    return collected
