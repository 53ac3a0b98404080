"""The transactional outbox: notices are written in the publishing transaction.

``ratings`` sends its signals inside the transaction that publishes or revokes; linkage's
receivers (linkage/receivers.py) call this module to write one notice per rating and
department, and delivery is queued only after commit. If the broker is down the publication
still commits: the notices wait in the database for the periodic sweep.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from assessments.stars import Star
from portal import queue

from ..models import (
    Category,
    DepartmentLink,
    Notice,
    PolicyRule,
    PolicyVersion,
    Result,
    WebhookDelivery,
)
from ..models.notices import Event

RERATED = "整改后重新评级结果，取代该单位{cycle}原评定结果（{star}，{date}公布）。"

RESULT_FOR_STAR = {Star.FIVE: Result.FIVE, Star.FOUR: Result.FOUR, Star.THREE: Result.THREE}


def result_for(rating) -> str:
    return RESULT_FOR_STAR.get(rating.star, Result.NONE)


class Listed(NamedTuple):
    """A policy cell as a notice copies it."""

    measure: str
    category: str
    basis_document: str
    basis_article: str


def _rules(version: PolicyVersion) -> dict[str, list[tuple[int, Listed]]]:
    """{result: [(department id, listed measure)]} for departments that are linked and enabled.

    A cell without a basis is never sent (the database refuses to store one; this is the
    second line, for a matrix written around the model)."""
    enabled = set(
        DepartmentLink.objects.filter(is_enabled=True, department__is_linked=True).values_list(
            "department_id", flat=True
        )
    )
    rules: dict[str, list[tuple[int, Listed]]] = {}
    for result, department_id, *cell in PolicyRule.objects.filter(version=version).values_list(
        "result", "department_id", "measure", "category", "basis_document", "basis_article"
    ):
        listed = Listed(*cell)
        if (
            department_id in enabled
            and listed.basis_document.strip()
            and listed.basis_article.strip()
        ):
            rules.setdefault(result, []).append((department_id, listed))
    return rules


# The notices are made by the database from arrays (one row per rating and department, the
# policy's measure for its result): 100,000 Notice objects built and bulk-created from Python
# cost as much as the rest of publishing (docs/benchmarks/linkage.md, decision 0081). Each row
# names its cell by number, and the few cells' texts are sent once: sending every row's texts
# cost more than the insert (decision 0117).
_INSERT_SQL = f"""
INSERT INTO {Notice._meta.db_table}
    (public_id, rating_id, unit_id, department_id, event, result, measure, category,
     basis_document, basis_article, reason, policy_version_id, created_at)
SELECT gen_random_uuid(), row.rating_id, row.unit_id, cell.department_id, %(event)s,
       cell.result, cell.measure, cell.category, cell.basis_document, cell.basis_article,
       %(reason)s, %(version)s, %(now)s
FROM unnest(%(ratings)s::bigint[], %(units)s::bigint[], %(cells)s::integer[])
     AS row(rating_id, unit_id, cell)
JOIN unnest(%(departments)s::bigint[], %(results)s::text[], %(measures)s::text[],
            %(categories)s::text[], %(documents)s::text[], %(articles)s::text[])
     WITH ORDINALITY AS cell(department_id, result, measure, category, basis_document,
                             basis_article, number)
  ON cell.number = row.cell
ORDER BY row.rating_id, cell.department_id
ON CONFLICT (rating_id, department_id, event) DO NOTHING
"""  # noqa: S608  # nosec B608 - table names from the models, values are parameters


def _write(
    rows: list[tuple[int, int, int, str, Listed]],
    *,
    event: str,
    version: PolicyVersion,
    rating_ids: list[int],
    reason: str = "",
) -> tuple[list[int], list[int]]:
    """Insert notices, rows of (rating, unit, department, result, listed measure) — a re-sent
    signal adds nothing — and their webhook deliveries."""
    if rows:
        cells: dict[tuple[int, str, Listed], int] = {}
        numbers = [
            cells.setdefault((department, str(result), cell), len(cells) + 1)
            for _rating, _unit, department, result, cell in rows
        ]
        departments, results, listed = zip(*cells, strict=True)
        with connection.cursor() as cursor:
            cursor.execute(
                _INSERT_SQL,
                {
                    "event": event,
                    "reason": reason,
                    "version": version.pk,
                    "now": timezone.now(),
                    "ratings": [row[0] for row in rows],
                    "units": [row[1] for row in rows],
                    "cells": numbers,
                    "departments": list(departments),
                    "results": list(results),
                    "measures": [cell.measure for cell in listed],
                    "categories": [cell.category for cell in listed],
                    "documents": [cell.basis_document for cell in listed],
                    "articles": [cell.basis_article for cell in listed],
                },
            )
    pending = Notice.objects.filter(
        rating_id__in=rating_ids, event=event, delivered_at__isnull=True
    )
    notice_ids = list(pending.values_list("pk", flat=True))
    hooked = DepartmentLink.objects.filter(is_enabled=True).exclude(webhook_url="")
    hooked_notices = pending.filter(
        department_id__in=hooked.values("department_id"), webhook__isnull=True
    ).values_list("pk", flat=True)
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        (WebhookDelivery(notice_id=pk, next_attempt_at=now) for pk in hooked_notices),
        batch_size=2000,
        ignore_conflicts=True,
    )
    delivery_ids = list(
        WebhookDelivery.objects.filter(
            notice__rating_id__in=rating_ids,
            notice__event=event,
            status=WebhookDelivery.Status.PENDING,
        ).values_list("pk", flat=True)
    )
    return notice_ids, delivery_ids


def queue_after_commit(notice_ids: list[int], delivery_ids: list[int]) -> None:
    transaction.on_commit(lambda: enqueue(notice_ids, delivery_ids))


def enqueue(notice_ids: Iterable[int], delivery_ids: Iterable[int]) -> bool:
    """Ring the broker; False when it is unreachable (the sweep will deliver later)."""
    from ..conf import inbox_batch_size
    from ..tasks import deliver_inbox, deliver_webhook

    notice_ids = list(notice_ids)
    size = inbox_batch_size()
    calls = [
        (deliver_inbox, (notice_ids[i : i + size],), {}) for i in range(0, len(notice_ids), size)
    ]
    calls += [(deliver_webhook, (pk,), {}) for pk in delivery_ids]
    return queue.send_tasks(calls)


def _rerating_reasons(ratings) -> dict[int, str]:
    """{rating id: why this notice replaces an earlier one} for re-rating results."""
    from ratings.models import Rerating

    rerated = Rerating.objects.filter(
        application_id__in=[rating.application_id for rating in ratings]
    ).select_related("rating__cycle")
    by_application = {item.application_id: item.rating for item in rerated}
    reasons = {}
    with translation.override(settings.LANGUAGE_CODE):  # stored and sent as written
        for rating in ratings:
            old = by_application.get(rating.application_id)
            if old is not None:
                reasons[rating.pk] = RERATED.format(
                    cycle=old.cycle,
                    star=old.get_star_display(),
                    date=old.published_on.isoformat(),
                )
    return reasons


def write_published_notices(ratings: list) -> None:
    """Notices of newly published results, to every department the policy matrix names."""
    version = PolicyVersion.objects.current()
    rules = _rules(version)
    # A re-rating result carries its own reason (it replaces the result departments acted on).
    reasons = _rerating_reasons(ratings)
    groups: dict[str, list] = {}
    for rating in ratings:
        groups.setdefault(reasons.get(rating.pk, ""), []).append(rating)
    notice_ids, delivery_ids = [], []
    for reason, group in groups.items():
        rows = [
            (rating.pk, rating.unit_id, department_id, result, measure)
            for rating in group
            for result in [result_for(rating)]
            for department_id, measure in rules.get(result, [])
        ]
        notices, deliveries = _write(
            rows,
            event=Event.PUBLISHED,
            version=version,
            rating_ids=[r.pk for r in group],
            reason=reason,
        )
        notice_ids += notices
        delivery_ids += deliveries
    queue_after_commit(notice_ids, delivery_ids)


def write_revoked_notices(ratings: list, reason: str) -> None:
    """Notices of revoked results, with the bureau's public reason."""
    version = PolicyVersion.objects.current()
    targets = _rules(version).get(Result.REVOKED, [])
    rows = [
        (rating.pk, rating.unit_id, department_id, Result.REVOKED, measure)
        for rating in ratings
        for department_id, measure in targets
    ]
    notice_ids, delivery_ids = _write(
        rows,
        event=Event.REVOKED,
        version=version,
        rating_ids=[r.pk for r in ratings],
        reason=reason,
    )
    queue_after_commit(notice_ids, delivery_ids)


def write_lift_notices(*, rating, reason: str) -> None:
    """Tell the departments that restricted the unit, through the same outbox."""
    from ..defaults import KEY_SUPERVISION, LIFTED, SEED

    version = PolicyVersion.objects.current()
    measures = dict(_rules(version).get(Result.LIFTED, []))
    fallback = Listed(LIFTED, Category.REVIEW, SEED, KEY_SUPERVISION)
    restricted = Notice.objects.filter(
        rating=rating, event=Event.PUBLISHED, result=Result.NONE
    ).values_list("department_id", flat=True)
    rows = [
        (
            rating.pk,
            rating.unit_id,
            department_id,
            Result.LIFTED,
            measures.get(department_id, fallback),
        )
        for department_id in restricted
    ]
    notice_ids, delivery_ids = _write(
        rows, event=Event.LIFTED, version=version, rating_ids=[rating.pk], reason=reason
    )
    queue_after_commit(notice_ids, delivery_ids)
