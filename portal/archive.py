"""What the integrity archive (诚信档案) of a unit is made of: disclosure levels (SPEC §5 graded
disclosure) and timeline entries. Each stage writes its own part in its ``archive`` module
(``def entries(unit, level: Disclosure, user) -> list[TimelineEntry]``); the public layer
assembles them (public/archive.py).
"""

import datetime
from dataclasses import dataclass
from enum import IntEnum

from portal.models import Role


class Disclosure(IntEnum):
    """How much of a unit's archive a viewer may see, from least to most (SPEC §5)."""

    PUBLIC = 0  # name, credit code, area, industry, star, certificate number and validity
    DEPARTMENT = 1  # + comprehensive score, veto items, supervision tier, rectification
    FULL = 2  # township/supervising department of the unit, the bureau, the unit itself


def disclosure_for(user, unit) -> Disclosure:
    if user is None or not user.is_authenticated:
        return Disclosure.PUBLIC
    if unit.is_visible_to(user):
        return Disclosure.FULL
    if user.role == Role.DEPARTMENT:
        return Disclosure.DEPARTMENT
    return Disclosure.PUBLIC


@dataclass
class TimelineEntry:
    date: datetime.date
    title: str
    detail: str = ""
    url: str = ""  # a document or page the viewer may open
    kind: str = ""  # pledge, application, report, rating, certificate, revocation, ...
