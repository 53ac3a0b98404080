"""Where a unit stands in the cycle: the five stages of the seed document (SPEC §2), the
cycle's deadlines, and the stage the unit's own pledge and application have reached."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.models import Application, Cycle, Pledge, Status

Phase = Cycle.Phase
STAGES = (
    Phase.PUBLICITY,
    Phase.IMPLEMENTATION,
    Phase.EVALUATION,
    Phase.DETERMINATION,
    Phase.PUBLICATION,
)
# The stage an application's state belongs to (drafts are the self-check of 开展评估).
STAGE_OF_STATUS = {
    Status.DRAFT: Phase.EVALUATION,
    Status.RETURNED: Phase.EVALUATION,
    Status.SUBMITTED: Phase.EVALUATION,
    Status.ACCEPTED: Phase.EVALUATION,
    Status.UNDER_EVALUATION: Phase.EVALUATION,
    Status.EVALUATED: Phase.EVALUATION,
    Status.GRADED: Phase.EVALUATION,
    Status.IN_PUBLICITY: Phase.DETERMINATION,
    Status.SUBMITTED_TO_GOVERNMENT: Phase.DETERMINATION,
    Status.GOVERNMENT_RETURNED: Phase.DETERMINATION,
    Status.CONFIRMED: Phase.DETERMINATION,
    Status.PUBLISHED: Phase.PUBLICATION,
    Status.REVOKED: Phase.PUBLICATION,
}


@dataclass
class Stage:
    number: int
    label: str
    state: str  # "done", "current" (where the unit is) or "upcoming"
    is_cycle_phase: bool  # the city's cycle is in this stage now

    @property
    def is_done(self) -> bool:
        return self.state == "done"

    @property
    def is_current(self) -> bool:
        return self.state == "current"


@dataclass
class Deadline:
    label: str
    date: datetime.date
    done: bool  # the unit has already done what the deadline asks
    done_text: str
    days_left: int

    @property
    def status_text(self) -> str:
        if self.done:
            return self.done_text
        if self.days_left < 0:
            return _("已截止")
        if self.days_left == 0:
            return _("今天截止")
        return _("还剩%(days)d天") % {"days": self.days_left}

    @property
    def urgent(self) -> bool:
        return not self.done and 0 <= self.days_left <= 7


def unit_stage(pledge: Pledge | None, application: Application | None) -> str:
    if pledge is None:
        return Phase.PUBLICITY
    if application is None:
        return Phase.IMPLEMENTATION
    return STAGE_OF_STATUS[application.status]


def stages(cycle: Cycle, pledge, application) -> list[Stage]:
    here = STAGES.index(unit_stage(pledge, application))
    rows = []
    for index, phase in enumerate(STAGES):
        state = "done" if index < here else "current" if index == here else "upcoming"
        rows.append(Stage(index + 1, str(phase.label), state, cycle.phase == phase))
    return rows


def deadlines(cycle: Cycle, pledge, application, today=None) -> list[Deadline]:
    today = today or timezone.localdate()
    submitted = application is not None and application.status not in (
        Status.DRAFT,
        Status.RETURNED,
    )
    return [
        Deadline(
            _("签署承诺书"),
            cycle.pledge_deadline,
            pledge is not None,
            pgettext("pledge deadline met", "已签署"),
            (cycle.pledge_deadline - today).days,
        ),
        Deadline(
            _("提交评估申请"),
            cycle.application_deadline,
            submitted,
            pgettext("application deadline met", "已提交"),
            (cycle.application_deadline - today).days,
        ),
    ]
