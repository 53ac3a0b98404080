"""The integrity archive (诚信档案) of a unit: one timeline across years, assembled from the
stages' own archive modules, each deciding what a viewer may see (SPEC §5 graded disclosure)."""

from assessments import archive as assessments_archive
from linkage import archive as linkage_archive
from portal.archive import TimelineEntry, disclosure_for
from ratings import archive as ratings_archive

# Each is ``entries(unit, level: Disclosure, user) -> list[TimelineEntry]``.
CONTRIBUTORS = (
    assessments_archive.entries,
    ratings_archive.entries,
    linkage_archive.entries,
)


def timeline(unit, user) -> list[TimelineEntry]:
    level = disclosure_for(user, unit)
    collected: list[TimelineEntry] = []
    for entries in CONTRIBUTORS:
        collected.extend(entries(unit, level, user))
    return sorted(collected, key=lambda entry: entry.date, reverse=True)
