from collections.abc import Callable
from dataclasses import dataclass, field

from tests.conftest import PERSONAS

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
INSIDERS = frozenset(
    {"bureau", "township", "township_other", "supervisor", "supervisor_other", "government"}
)


@dataclass(frozen=True)
class Rule:
    allowed: frozenset
    kwargs: Callable | None = None
    # POST-only endpoints answer 405 to an allowed GET; the walk treats that as allowed.
    method: str = "get"
    query: str = ""
    extra: dict = field(default_factory=dict)
