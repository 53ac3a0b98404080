"""Public portal, open data and statistics."""

from .rules import EVERYONE, Rule


def _rated_unit(world):
    from tests.publication_support import publish_one as publish

    if not world.unit.ratings.exists():
        publish(world.unit, 2023, "91.0")  # a year no other stage uses
    return {"credit_code": world.unit.credit_code}


ACCESS = {
    "public:search": Rule(EVERYONE),
    # Anyone may read a rated unit's page; how much they see is tested in test_public_unit.
    "public:unit": Rule(EVERYONE, kwargs=_rated_unit),
    "stats:public": Rule(EVERYONE),
    "stats:bureau": Rule(frozenset({"bureau"})),
    "api:ratings": Rule(EVERYONE),
    "api:ratings_csv": Rule(EVERYONE),
    "api:openapi": Rule(EVERYONE),
    "api:docs": Rule(EVERYONE),
    "portal:guide": Rule(EVERYONE),
    "portal:favicon": Rule(EVERYONE),
    "api:feed": Rule(EVERYONE),
}
