"""What is happening in a cycle right now, for the banner on every page: read from the cycle's
real state (applications, comment windows, publications), not from the phase a clerk last set.

The one home of this rule; templates show ``stage_labels(cycle)`` and never restate it.
"""

import logging

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.models import Application, Cycle, Status

from .models import Publication, PublicityBatch

EVALUATING = {
    Status.DRAFT,
    Status.SUBMITTED,
    Status.RETURNED,
    Status.ACCEPTED,
    Status.UNDER_EVALUATION,
    Status.EVALUATED,
}
AWAITING_GOVERNMENT = {Status.SUBMITTED_TO_GOVERNMENT, Status.GOVERNMENT_RETURNED}
logger = logging.getLogger(__name__)
# Every page shows the banner: the answer is kept briefly rather than queried per request.
CACHE_SECONDS = 60


def _labels(cycle: Cycle) -> list[str]:
    now = timezone.now()
    labels = []
    if cycle.phase in (Cycle.Phase.PUBLICITY, Cycle.Phase.IMPLEMENTATION):
        labels.append(str(cycle.get_phase_display()))
    statuses = set(
        Application.objects.filter(cycle=cycle).values_list("status", flat=True).distinct()
    )
    if statuses & EVALUATING:
        labels.append(str(Cycle.Phase.EVALUATION.label))
    window = (
        PublicityBatch.objects.filter(cycle=cycle, starts_at__lte=now, ends_at__gt=now)
        .order_by("-ends_at")
        .first()
    )
    if window is not None:
        end = date_format(timezone.localtime(window.ends_at), "SHORT_DATE_FORMAT")
        labels.append(_("意见征询（至 %(date)s）") % {"date": end})
    if statuses & AWAITING_GOVERNMENT:
        labels.append(_("报市政府确认"))
    if Publication.objects.filter(cycle=cycle, published_at__isnull=False).exists():
        labels.append(str(Cycle.Phase.PUBLICATION.label))
    if not labels:
        labels.append(str(cycle.get_phase_display()))
    return labels


def stage_labels(cycle: Cycle | None) -> list[str]:
    """What is under way in ``cycle``, in the order of the scheme (empty without a cycle)."""
    if cycle is None:
        return []
    key = f"cycle-stage:{cycle.pk}:{cycle.phase}:{get_language()}"
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not break every page
        found = None
    if found is not None:
        return found
    labels = _labels(cycle)
    try:
        cache.set(key, labels, CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable for the cycle banner", exc_info=True)
    return labels
