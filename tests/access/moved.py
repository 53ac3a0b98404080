"""Old addresses that redirect to their new home: anyone is redirected, the target decides."""

from .rules import EVERYONE, Rule

ACCESS = {
    "moved_search": Rule(EVERYONE),
    "moved_unit": Rule(EVERYONE, kwargs=lambda world: {"credit_code": world.unit.credit_code}),
    "moved_determination": Rule(EVERYONE, kwargs=lambda world: {"rest": "publicity/"}),
}
