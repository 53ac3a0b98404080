"""Editing the policy matrix: every edit writes a new version, old notices keep theirs."""

from django.db import transaction
from django.db.models import Max

from portal.models import User

from ..models import PolicyRule, PolicyVersion


def create_version(actor: User, cells: dict[tuple[str, int], str], note: str = "") -> PolicyVersion:
    """``cells`` maps (result, department id) to the measure; absent cells are not notified."""
    with transaction.atomic():
        # Serialise concurrent edits so two versions never claim the same number.
        list(PolicyVersion.objects.select_for_update().order_by("-number")[:1])
        number = (PolicyVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
        version = PolicyVersion.objects.create(number=number, note=note, created_by=actor)
        PolicyRule.objects.bulk_create(
            PolicyRule(version=version, result=result, department_id=department, measure=text)
            for (result, department), text in cells.items()
        )
    return version
