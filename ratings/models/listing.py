"""The key-monitoring list (重点监管名单) and credit repair (信用修复), with their periods as data.

A no-star result lists the unit. Each reason for it — a veto item of the standard, or a score
below 75 — has a shortest and a longest public display (``DisplayPeriod``, edited by the bureau;
defaults from the 信用修复管理办法: general 3 months–1 year, serious 1–3 years). A ``Listing``
fixes its dates when the result is published. The public stops seeing the listing on
``display_ends_on``: every public read compares that date with today, so nothing depends on a
job running at midnight. A granted repair brings ``display_ends_on`` forward to the day it is
granted (docs/decisions/0107-listing-periods-credit-repair-service-ratings.md).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("严重")


class DisplayPeriod(models.Model):
    """Reference data: the public display periods of one reason for listing."""

    SCORE = "score"  # the reason for a no-star result without a veto item

    reason = models.CharField(
        _("列入原因编号"),
        max_length=10,
        unique=True,
        help_text=_("否决项编号（如 V1），score 表示综合考评得分低于75分"),
    )
    name = models.CharField(_("列入原因"), max_length=200)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    shortest_months = models.PositiveSmallIntegerField(_("最短公示期（月）"))
    longest_months = models.PositiveSmallIntegerField(_("最长公示期（月）"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reason"]
        verbose_name = _("公示期限")
        verbose_name_plural = _("公示期限")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shortest_months__lte=models.F("longest_months")),
                name="display_shortest_not_after_longest",
            )
        ]

    def __str__(self):
        return f"{self.reason} {self.name}"


class ListingQuerySet(models.QuerySet):
    def displayed(self, today: datetime.date):
        return self.filter(display_ends_on__gt=today)


class Listing(models.Model):
    """A no-star result's place on the key-monitoring list, with its dates fixed at listing."""

    rating = models.OneToOneField(
        "ratings.Rating", on_delete=models.PROTECT, related_name="listing"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="listings")
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    # [{"reason": "V1", "name": "…", "severity": "serious"}], as they stood when listed.
    reasons = models.JSONField(_("列入原因"), default=list)
    listed_on = models.DateField(_("列入日期"))
    repair_from = models.DateField(_("可申请信用修复日期"))
    longest_ends_on = models.DateField(_("最长公示期届满日"))
    # The first day the public no longer sees the listing: longest_ends_on, or the repair day.
    display_ends_on = models.DateField(_("公示结束日期"))
    repaired_on = models.DateField(_("信用修复日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_on", "-pk"]
        verbose_name = _("重点监管名单公示")
        verbose_name_plural = _("重点监管名单公示")
        indexes = [models.Index(fields=["display_ends_on"])]

    def __str__(self):
        return f"{self.unit} {self.listed_on}"

    def is_displayed(self, today: datetime.date) -> bool:
        return today < self.display_ends_on

    @property
    def last_displayed_on(self) -> datetime.date:
        return self.display_ends_on - datetime.timedelta(days=1)

    @property
    def reason_names(self) -> str:
        return "；".join(reason["name"] for reason in self.reasons)


class RepairRequest(models.Model):
    """信用修复申请: the enterprise applies after the shortest period; the bureau decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待决定")
        GRANTED = "granted", _("准予修复")
        REFUSED = "refused", _("不予修复")

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="repair_requests")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="repair_requests")
    statement = models.TextField(_("整改情况说明"))
    evidence = models.FileField(_("整改证明材料"), upload_to="repair/")
    evidence_name = models.CharField(max_length=200)
    evidence_type = models.CharField(max_length=100)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_on = models.DateField(_("申请日期"))
    due_on = models.DateField(_("决定期限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        constraints = [
            models.UniqueConstraint(
                fields=["listing"],
                condition=models.Q(status="pending"),
                name="one_pending_repair_per_listing",
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.applied_on}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_pending and today > self.due_on
