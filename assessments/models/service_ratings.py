"""好差评 (国办发〔2019〕51号): the enterprise rates each finished service 1–5, once.

A ``ServiceRating`` is offered when a transaction finishes (a receipt issued, a certificate
issued, an objection or repair decided) and filled in by the enterprise. A score of 1 or 2 is a
ticket (差评工单) the bureau must answer within ``TICKET_WORKING_DAYS`` working days.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

TICKET_WORKING_DAYS = 15
POOR = 2  # a score at or below this becomes a ticket


class TransactionKind(models.TextChoices):
    RECEIPT = "receipt", _("申报受理（受理回执）")
    CERTIFICATE = "certificate", _("证书颁发")
    OBJECTION_DECISION = "objection", _("异议复核决定")
    REPAIR_DECISION = "repair", _("信用修复决定")


class ServiceRatingQuerySet(models.QuerySet):
    def rated(self):
        return self.filter(score__isnull=False)

    def awaiting(self):
        return self.filter(score__isnull=True)

    def tickets(self):
        return self.filter(score__lte=POOR)

    def open_tickets(self):
        return self.tickets().filter(answered_at__isnull=True)


class ServiceRating(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="service_ratings")
    kind = models.CharField(_("服务事项"), max_length=20, choices=TransactionKind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    transaction = GenericForeignKey("content_type", "object_id")
    # What identifies the transaction to the enterprise: a receipt or certificate number.
    reference = models.CharField(_("编号"), max_length=200, blank=True)
    finished_on = models.DateField(_("办结日期"))
    score = models.PositiveSmallIntegerField(
        _("评价"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("评价意见"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_on = models.DateField(_("评价日期"), null=True, blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    answer = models.TextField(_("整改答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ServiceRatingQuerySet.as_manager()

    class Meta:
        ordering = ["-finished_on", "-pk"]
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"], name="one_rating_per_transaction"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__range=(1, 5)),
                name="service_score_one_to_five",
            ),
        ]
        indexes = [models.Index(fields=["rated_on"])]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        label = str(self.get_kind_display())
        return f"{label} {self.reference}" if self.reference else label

    @property
    def is_rated(self) -> bool:
        return self.score is not None

    @property
    def is_ticket(self) -> bool:
        return self.score is not None and self.score <= POOR

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_ticket and not self.is_answered and today > self.due_on
