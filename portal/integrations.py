"""Thin adapters to the selectors of later stages (ratings workflow, linkage).

The public pages and the bureau statistics read a few numbers that other apps own. They are
imported lazily, here and nowhere else, and fall back to a neutral value ONLY while the
providing module does not exist yet: a module that exists but lacks the function, or fails
inside, raises, so a broken integration is noticed rather than shown as zero.
"""

from importlib import import_module
from types import ModuleType

from portal.archive import TimelineEntry


def _module(name: str) -> ModuleType | None:
    try:
        return import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name and not name.startswith(f"{error.name}."):
            raise
        return None


def pending_comment_count() -> int | None:
    """Public comments and objections awaiting the bureau's answer (None: not available)."""
    module = _module("ratings.selectors")
    return None if module is None else module.pending_comment_count()


def unacknowledged_notice_count() -> int | None:
    """Rating notices linked departments have not acknowledged."""
    module = _module("linkage.selectors")
    return None if module is None else module.unacknowledged_notice_count()


def overdue_hazard_count() -> int | None:
    """Hazards whose rectification deadline has passed."""
    module = _module("linkage.selectors")
    return None if module is None else module.overdue_hazard_count()


def supervision_tier_for(unit) -> str | None:
    """The unit's classified-supervision tier (分类监管), as a readable label, or None."""
    module = _module("linkage.selectors")
    if module is None:
        return None
    tier = module.supervision_tier_for(unit)
    models = _module("linkage.models")
    choices = getattr(models, "Tier", None)
    if tier is not None and choices is not None and tier in choices.values:
        return str(choices(tier).label)
    return tier


def public_status_changes(unit) -> list[TimelineEntry]:
    """Public status changes of the unit (e.g. key monitoring lifted after credit repair)."""
    module = _module("linkage.selectors")
    if module is None:
        return []
    return [_as_entry(change) for change in module.public_status_changes(unit)]


def _as_entry(change) -> TimelineEntry:
    """Accept a TimelineEntry, a (date, title[, detail]) tuple, a mapping or an object."""
    if isinstance(change, TimelineEntry):
        return change
    if isinstance(change, tuple):
        return TimelineEntry(*change[:3])
    get = (
        change.get
        if isinstance(change, dict)
        else lambda key, default="": getattr(change, key, default)
    )
    return TimelineEntry(
        date=get("date"),
        title=str(get("title", "")),
        detail=str(get("detail", "") or ""),
        url=get("url", "") or "",
        kind=get("kind", "") or "",
    )


def openapi_fragment() -> dict[str, dict]:
    """Paths, schemas and security schemes linkage documents for its own API endpoints."""
    module = _module("linkage.openapi")
    if module is None:
        return {"paths": {}, "schemas": {}, "security_schemes": {}}
    return {
        "paths": dict(module.PATHS),
        "schemas": dict(module.SCHEMAS),
        "security_schemes": dict(getattr(module, "SECURITY_SCHEMES", {})),
    }


def public_measures_for(rating) -> list[dict]:
    """The joint measure categories that apply to a published result (and their bases)."""
    module = _module("linkage.selectors")
    return [] if module is None else module.public_measures_for(rating)
