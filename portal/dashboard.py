"""What a dashboard section is. Each stage app says what awaits a signed-in user in its own
dashboard module (``def sections(user) -> list[Section]``); the dashboard page
(portal/views/dashboard.py, at the top of the project) assembles them."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal import service_status


@dataclass
class Entry:
    label: str
    url: str = ""
    meta: str = ""
    urgent: bool = False  # past its time limit: the meta is highlighted


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


def services_section() -> list[Section]:
    """The background services' problem, if any, as a warning card (empty when all is well)."""
    found = service_status.problem()
    if found is None:
        return []
    return [
        Section(
            title=_("后台服务"), entries=[Entry(service_status.in_words(found))], tone="warning"
        )
    ]
