"""The linkage policy matrix (SPEC §4) as versioned data.

Each version holds, per result, which departments are notified and the measure text each
notice states. Versions are never edited: the bureau's edit writes a new version, and every
notice records the version it was written under.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Result(models.TextChoices):
    FIVE = "5", _("五星级")
    FOUR = "4", _("四星级")
    THREE = "3", _("三星级")
    NONE = "none", _("无星级（重点监控）")
    REVOKED = "revoked", _("评级撤销")
    LIFTED = "lifted", _("解除重点监控（信用修复）")


class Category(models.TextChoices):
    """What kind of measure a cell states; decides what a department may record on it."""

    INCENTIVE = "incentive", _("激励措施")
    RESTRICTION = "restriction", _("约束措施")
    NOTICE = "notice", _("仅作通报")
    REVIEW = "review", _("复核已采取的措施")


class PolicyVersionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-number")

    def current(self):
        return self.newest_first().first()


class PolicyVersion(models.Model):
    number = models.PositiveIntegerField(_("版本号"), unique=True)
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("联动措施矩阵版本")
        verbose_name_plural = _("联动措施矩阵版本")

    def __str__(self):
        return f"v{self.number}"


class PolicyRule(models.Model):
    """One cell of the matrix: this department is notified of this result, with this measure."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="rules")
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    department = models.ForeignKey(
        "units.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    measure = models.TextField(_("措施"))
    category = models.CharField(
        _("措施类别"), max_length=12, choices=Category.choices, default=Category.NOTICE
    )
    # 国办发〔2020〕49号: every joint measure rests on a named document and article; the
    # database refuses a cell without one, whichever code path writes it.
    basis_document = models.CharField(_("依据文件"), max_length=200)
    basis_article = models.CharField(_("条款"), max_length=100)

    class Meta:
        ordering = ["version", "result", "department__order"]
        verbose_name = _("联动措施")
        verbose_name_plural = _("联动措施")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "result", "department"], name="one_rule_per_cell"
            ),
            models.CheckConstraint(
                condition=~models.Q(basis_document__regex=r"^\s*$")
                & ~models.Q(basis_article__regex=r"^\s*$"),
                name="policy_rule_has_basis",
                violation_error_message=_("每项联动措施须注明依据文件和条款。"),
            ),
        ]

    @property
    def basis(self) -> str:
        return f"{self.basis_document} {self.basis_article}"
