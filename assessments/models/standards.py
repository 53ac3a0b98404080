"""The scoring standard is data: versions of categories, items and veto items."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

TOTAL_POINTS = Decimal("100")


class ScoringStandardQuerySet(models.QuerySet):
    def with_total_points(self):
        """Each version's sum of item maxima, as ``points_total``.

        A subquery, not ``Sum`` over the join: joined beside another relation (the cycles using
        the version) a plain sum counts every item once per cycle, and a list read 200.
        """
        items = (
            StandardItem.objects.filter(category__standard=OuterRef("pk"))
            .order_by()
            .values("category__standard")
            .annotate(points=Sum("max_points"))
            .values("points")
        )
        return self.annotate(
            points_total=Coalesce(Subquery(items), Decimal(0), output_field=models.DecimalField())
        )


class ScoringStandard(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    version = models.CharField(_("版本"), max_length=20)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("复制自")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScoringStandardQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="standard_version")]

    def __str__(self):
        return f"{self.name} {self.version}"

    @property
    def is_frozen(self) -> bool:
        """A version some cycle uses can no longer change; edits make a new version."""
        return self.cycles.exists()

    def total_points(self) -> Decimal:
        """The sum of item maxima; read from ``with_total_points()`` when the list annotated it."""
        if hasattr(self, "points_total"):
            return self.points_total
        return ScoringStandard.objects.with_total_points().get(pk=self.pk).points_total

    def adds_up(self) -> bool:
        return self.total_points() == TOTAL_POINTS

    def validate_total(self) -> None:
        total = self.total_points()
        if not self.adds_up():
            raise ValidationError(
                _("各评分项满分之和应为100分，当前为%(total)s分。") % {"total": total}
            )

    def items(self):
        return (
            StandardItem.objects.filter(category__standard=self)
            .select_related("category")
            .order_by("category__order", "order")
        )


class StandardCategory(models.Model):
    standard = models.ForeignKey(
        ScoringStandard, on_delete=models.CASCADE, related_name="categories"
    )
    code = models.CharField(_("编号"), max_length=10)
    name = models.CharField(_("类别"), max_length=50)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("评分类别")
        verbose_name_plural = _("评分类别")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="category_code_per_standard")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class StandardItem(models.Model):
    category = models.ForeignKey(StandardCategory, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("编号"), max_length=10)
    text = models.TextField(_("评分内容"))
    max_points = models.DecimalField(
        _("满分"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    guidance = models.TextField(_("评分指引"), blank=True)
    evidence_expected = models.TextField(_("应提供的证明材料"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["category__order", "order"]
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="item_code_per_category")
        ]

    def __str__(self):
        return f"{self.code} {self.text}"


class VetoItem(models.Model):
    standard = models.ForeignKey(ScoringStandard, on_delete=models.CASCADE, related_name="vetoes")
    code = models.CharField(_("编号"), max_length=10)
    text = models.TextField(_("否决项内容"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("否决项")
        verbose_name_plural = _("否决项")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="veto_code_per_standard")
        ]

    def __str__(self):
        return f"{self.code} {self.text}"
