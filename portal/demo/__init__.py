"""Demo data, in steps. ``seed_demo`` runs STEPS in order; each step is idempotent.
Later stages append their own step modules (cycles, evaluations, publications, linkage)."""

STEPS = [
    "portal.demo.reference",
    "portal.demo.units",
    "portal.demo.accounts",
    "portal.demo.cycles",
    "portal.demo.evaluations",
    "portal.demo.publications",
    "portal.demo.linkage",
]
