"""Receipt numbers (受理回执编号), allocated without gaps or duplicates under concurrency."""

from assessments.models import Application, Cycle

RECEIPT_FORMAT = "新安诚受〔{year}〕{serial:04d}号"


def allocate_receipt_number(cycle_id: int) -> str:
    """Call inside the accepting transaction. Locking the cycle row serialises acceptances
    of one cycle, so two clerks accepting at the same moment never draw the same number."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle_id)
    issued = Application.objects.filter(cycle=cycle, receipt_number__isnull=False).count()
    return RECEIPT_FORMAT.format(year=cycle.year, serial=issued + 1)
