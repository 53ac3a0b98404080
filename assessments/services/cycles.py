"""Opening a cycle and moving it through the five phases of the seed's section 五."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Cycle, ScoringStandard

PHASE_ORDER = [value for value, _label in Cycle.Phase.choices]


def open_cycle(*, actor, **fields) -> Cycle:
    """Open a new cycle; one cycle is open at a time and its standard must total 100."""
    standard: ScoringStandard = fields["standard"]
    standard.validate_total()
    with transaction.atomic():
        if Cycle.objects.select_for_update().filter(is_open=True).exists():
            raise ValidationError(_("已有正在进行的考核周期，请先结束当前周期再开启新周期。"))
        return Cycle.objects.create(opened_by=actor, is_open=True, **fields)


def next_phase(cycle: Cycle) -> str | None:
    index = PHASE_ORDER.index(cycle.phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def advance_phase(*, cycle: Cycle, expected_phase: str) -> Cycle:
    """Move to the next phase; the last step closes the cycle. A stale form is refused."""
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.phase != expected_phase:
            raise ValidationError(
                _("周期阶段已变为“%(phase)s”，本次操作未执行。")
                % {"phase": locked.get_phase_display()}
            )
        target = next_phase(locked)
        if target is None:
            raise ValidationError(_("该周期已结束。"))
        locked.phase = target
        if target == Cycle.Phase.CLOSED:
            locked.is_open = False
        locked.save(update_fields=["phase", "is_open"])
    return locked
