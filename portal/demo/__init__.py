"""Demo data, in steps. ``seed_demo`` runs STEPS in order; each step is a module with
``run(write)`` and is idempotent."""

from . import (
    accounts,
    cycles,
    due_process,
    evaluations,
    linkage,
    publications,
    reference,
    units,
)

STEPS = (reference, units, accounts, cycles, evaluations, publications, linkage, due_process)
