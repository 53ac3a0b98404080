"""What awaits a signed-in user. Stage apps contribute sections from their own dashboard
modules (``def sections(user) -> list[Section]``); portal only assembles them."""

from dataclasses import dataclass, field
from importlib import import_module

from django.utils.translation import gettext as _

from portal import service_status
from portal.models import Role

DASHBOARD_MODULES = (
    "units.dashboard",
    "assessments.dashboard",
    "assessments.dashboard_evaluation",
    "ratings.dashboard",
    "linkage.dashboard",
    "portal.dashboard_admin",
)


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
    # A section that is not a list of entries names its own partial and what it needs.
    template: str = ""
    context: dict = field(default_factory=dict)
    wide: bool = False
    tone: str = ""  # a Bootstrap colour ("warning") for a section that reports a problem


def optional_modules(names):
    """Import the modules that exist; a stage that contributes nothing simply has none."""
    for name in names:
        try:
            yield import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


def sections_for(user) -> list[Section]:
    collected: list[Section] = []
    for module in optional_modules(DASHBOARD_MODULES):
        collected.extend(module.sections(user))
    if user.role == Role.BUREAU:
        # The bureau has a dozen queues; a card per empty queue hides the one with work in it.
        collected = _services() + [s for s in collected if s.entries or s.template]
    return collected


def _services() -> list[Section]:
    found = service_status.problem()
    if found is None:
        return []
    return [
        Section(
            title=_("后台服务"), entries=[Entry(service_status.in_words(found))], tone="warning"
        )
    ]
