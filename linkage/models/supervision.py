"""Classified supervision (分类监管, SPEC §4): tiers, inspections, hazards, rectification."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    SELF_MANAGEMENT = "self", _("自主管理（四、五星级）")
    TRACKING = "tracking", _("跟踪监管（三星级）")
    KEY = "key", _("重点监管（无星级）")


class TierRecord(models.Model):
    """Append-only history of a unit's tier; the latest row is the current tier."""

    class Source(models.TextChoices):
        RATING = "rating", _("评级公布")
        REVOCATION = "revocation", _("评级撤销")
        LIFT = "lift", _("信用修复")

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="tier_records")
    tier = models.CharField(_("监管类别"), max_length=10, choices=Tier.choices)
    source = models.CharField(_("依据"), max_length=10, choices=Source.choices)
    rating = models.ForeignKey(
        "ratings.Rating", null=True, on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("生效日期"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-pk"]
        verbose_name = _("监管类别记录")
        verbose_name_plural = _("监管类别记录")
        indexes = [models.Index(fields=["unit", "-effective_on", "-id"])]


class Inspection(models.Model):
    """督查: planned by tier, then recorded with its findings and the hazards found."""

    class Kind(models.TextChoices):
        IRREGULAR = "irregular", _("不定期抽查")
        REGULAR = "regular", _("定期检查")
        KEY = "key", _("重点督查")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("单位")
    )
    kind = models.CharField(_("督查方式"), max_length=10, choices=Kind.choices)
    planned_on = models.DateField(_("计划日期"))
    inspected_on = models.DateField(_("实施日期"), null=True, blank=True)
    inspector = models.CharField(_("督查人员"), max_length=100, blank=True)
    findings = models.TextField(_("督查情况"), blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("督查")
        verbose_name_plural = _("督查")

    def __str__(self):
        return f"{self.unit} {self.planned_on}"

    @property
    def is_done(self) -> bool:
        return self.inspected_on is not None


class HazardQuerySet(models.QuerySet):
    def open(self):
        return self.filter(rectified_on__isnull=True)

    def overdue(self, today):
        return self.open().filter(deadline__lt=today)


class Hazard(models.Model):
    class Severity(models.TextChoices):
        GENERAL = "general", _("一般隐患")
        MAJOR = "major", _("重大隐患")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="hazards")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="hazards")
    description = models.CharField(_("隐患描述"), max_length=300)
    severity = models.CharField(
        _("隐患等级"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    deadline = models.DateField(_("整改期限"))
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("事故隐患")
        verbose_name_plural = _("事故隐患")
        indexes = [
            models.Index(
                fields=["deadline"],
                condition=models.Q(rectified_on__isnull=True),
                name="hazard_open_deadline",
            )
        ]

    def __str__(self):
        return self.description


class HazardReminder(models.Model):
    """At most one reminder per overdue hazard per day (the beat task may run more often)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hazard", "sent_on"], name="one_hazard_reminder_a_day")
        ]


class RectificationOrder(models.Model):
    """责令限期整改: issued automatically after two years without a star, or by the bureau."""

    class Reason(models.TextChoices):
        TWO_YEARS = "two_years", _("连续两年无星级")
        KEY_MONITORING = "key_monitoring", _("重点监控单位整改")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("验收合格，恢复生产经营")
        PENALTY = "penalty", _("依法处罚")
        SUSPENSION = "suspension", _("停产停业整顿")
        CLOSURE_PROPOSED = "closure", _("提请市政府予以关闭")

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="rectification_orders"
    )
    rating = models.ForeignKey(
        "ratings.Rating", on_delete=models.PROTECT, related_name="rectification_orders"
    )
    reason = models.CharField(_("整改原因"), max_length=20, choices=Reason.choices)
    requirements = models.TextField(_("整改要求"))
    issued_on = models.DateField(_("下达日期"))
    deadline = models.DateField(_("整改期限"))
    outcome = models.CharField(_("整改结果"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结果说明"), blank=True)
    outcome_on = models.DateField(_("结果日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("限期整改指令")
        verbose_name_plural = _("限期整改指令")
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "reason"], name="one_order_per_rating_and_reason"
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.issued_on}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class CreditRepair(models.Model):
    """信用修复: a no-star unit's key-monitoring status lifted (after acceptance, or on request)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="credit_repairs")
    rating = models.OneToOneField(
        "ratings.Rating", on_delete=models.PROTECT, related_name="credit_repair"
    )
    # The passed rectification order when the bureau lifted it on its own; empty for a repair
    # the enterprise applied for (ratings.RepairRequest).
    order = models.ForeignKey(
        RectificationOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("解除理由"))
    lifted_on = models.DateField(_("解除日期"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-lifted_on"]
        verbose_name = _("信用修复")
        verbose_name_plural = _("信用修复")

    def __str__(self):
        return f"{self.unit} · {self.lifted_on}"
