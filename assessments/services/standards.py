"""Writing scoring standards: a version in use is frozen; changes go into a copy."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import ScoringStandard, StandardCategory, StandardItem, VetoItem


def _next_version(standard: ScoringStandard) -> str:
    taken = set(
        ScoringStandard.objects.filter(name=standard.name).values_list("version", flat=True)
    )
    number = len(taken) + 1
    while f"v{number}" in taken:
        number += 1
    return f"v{number}"


def copy_standard(*, standard: ScoringStandard, version: str = "") -> ScoringStandard:
    """A new, editable version with the same categories, items and veto items."""
    with transaction.atomic():
        copy = ScoringStandard.objects.create(
            name=standard.name, version=version or _next_version(standard), based_on=standard
        )
        for category in standard.categories.prefetch_related("items"):
            new_category = StandardCategory.objects.create(
                standard=copy, code=category.code, name=category.name, order=category.order
            )
            StandardItem.objects.bulk_create(
                StandardItem(
                    category=new_category,
                    code=item.code,
                    text=item.text,
                    max_points=item.max_points,
                    guidance=item.guidance,
                    evidence_expected=item.evidence_expected,
                    order=item.order,
                )
                for item in category.items.all()
            )
        VetoItem.objects.bulk_create(
            VetoItem(standard=copy, code=veto.code, text=veto.text, order=veto.order)
            for veto in standard.vetoes.all()
        )
    return copy


def save_standard(*, standard: ScoringStandard, header_form, formsets) -> None:
    """Save the editor's forms in one transaction; refuse a frozen version or a total ≠ 100.

    ``formsets`` are saved in order (categories first, so new items can refer to them). The
    total is checked after saving, inside the transaction, so a refusal leaves nothing written.
    """
    with transaction.atomic():
        locked = ScoringStandard.objects.select_for_update().get(pk=standard.pk)
        if locked.is_frozen:
            raise ValidationError(_("该版本已被考核周期使用，不能修改；请复制为新版本后再编辑。"))
        header_form.save()
        for formset in formsets:
            formset.save()
        locked.validate_total()
