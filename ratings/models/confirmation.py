"""Municipal confirmation (市政府确认): the bureau submits results in batches; the government
confirms each item or returns it with a reason. The application's state machine is the source
of truth for where an item is; these rows say which submission carried it and what was decided.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.PROTECT, related_name="submissions"
    )
    batch = models.ForeignKey(
        "ratings.PublicityBatch", on_delete=models.PROTECT, related_name="submissions"
    )
    note = models.TextField(_("报送说明"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("报送市政府确认")
        verbose_name_plural = _("报送市政府确认")

    def __str__(self):
        return _("%(batch)s 报送（%(date)s）") % {
            "batch": self.batch.title,
            "date": self.submitted_at.date() if self.submitted_at else "",
        }


class SubmissionItem(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        RETURNED = "returned", _("已退回")

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="submission_items"
    )
    decision = models.CharField(
        _("确认结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("退回理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["application__unit__name"]
        verbose_name = _("报送事项")
        verbose_name_plural = _("报送事项")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "application"], name="one_item_per_submission"
            )
        ]

    def __str__(self):
        return f"{self.submission} · {self.application.unit}"
