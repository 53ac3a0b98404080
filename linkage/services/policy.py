"""Editing the policy matrix: every edit writes a new version, old notices keep theirs."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from portal.models import User

from ..defaults import Cell
from ..models import Category, PolicyRule, PolicyVersion
from ..selectors import forget_rules


def create_version(
    *, actor: User, cells: dict[tuple[str, int], Cell], note: str = ""
) -> PolicyVersion:
    """``cells`` maps (result, department id) to its measure; absent cells are not notified.

    A measure without the document and article it rests on is refused (国办发〔2020〕49号);
    the form says so per cell first, the database (constraint policy_rule_has_basis) last."""
    for cell in cells.values():
        if not (cell.basis_document.strip() and cell.basis_article.strip()):
            raise ValidationError(_("每项联动措施须注明依据文件和条款。"))
        if cell.category not in Category.values:
            raise ValidationError(_("措施类别无效。"))
    with transaction.atomic():
        # Serialise concurrent edits so two versions never claim the same number.
        list(PolicyVersion.objects.select_for_update().order_by("-number")[:1])
        number = (PolicyVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
        version = PolicyVersion.objects.create(number=number, note=note, created_by=actor)
        PolicyRule.objects.bulk_create(
            PolicyRule(
                version=version,
                result=result,
                department_id=department,
                measure=cell.measure,
                category=cell.category,
                basis_document=cell.basis_document.strip(),
                basis_article=cell.basis_article.strip(),
            )
            for (result, department), cell in cells.items()
        )
        transaction.on_commit(forget_rules)
    # At once too: inside a caller's transaction this process already reads the new version.
    forget_rules()
    return version
