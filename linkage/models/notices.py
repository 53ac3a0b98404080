"""The outbox: one notice per rating, department and event, delivered by Celery tasks.

A notice row is written in the publishing transaction; ``delivered_at`` is set by the inbox
delivery task. The database is the source of truth, the broker only a doorbell: a periodic
sweep re-queues anything left pending (STACK-NOTES: Redis-broker tasks can be lost).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .policy import Category, Result


class Event(models.TextChoices):
    PUBLISHED = "published", _("评级公布")
    REVOKED = "revoked", _("评级撤销")
    LIFTED = "lifted", _("解除重点监控")


class NoticeQuerySet(models.QuerySet):
    def delivered(self):
        return self.filter(delivered_at__isnull=False)

    def for_department(self, department_id: int):
        return self.delivered().filter(department_id=department_id)


class Notice(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    rating = models.ForeignKey(
        "ratings.Rating", on_delete=models.PROTECT, related_name="notices", verbose_name=_("评级")
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="notices", verbose_name=_("单位")
    )
    department = models.ForeignKey(
        "units.Department",
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("部门"),
    )
    event = models.CharField(_("事项"), max_length=10, choices=Event.choices)
    result = models.CharField(_("结果"), max_length=10, choices=Result.choices)
    measure = models.TextField(_("适用措施"))
    # Copied from the policy cell when the notice is written, like ``measure``: what the
    # department was told stays what it was told, whatever later versions say.
    category = models.CharField(_("措施类别"), max_length=12, choices=Category.choices, blank=True)
    basis_document = models.CharField(_("依据文件"), max_length=200, blank=True)
    basis_article = models.CharField(_("条款"), max_length=100, blank=True)
    reason = models.TextField(_("说明"), blank=True)
    policy_version = models.ForeignKey(
        "linkage.PolicyVersion", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(_("催办时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("联动通报")
        verbose_name_plural = _("联动通报")
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "department", "event"], name="one_notice_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["department", "acknowledged_at"]),
            models.Index(
                fields=["created_at"],
                name="notice_undelivered",
                condition=models.Q(delivered_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.department.short_name}: {self.unit} {self.get_event_display()}"

    @property
    def basis(self) -> str:
        return f"{self.basis_document} {self.basis_article}".strip()

    def allowed_kinds(self) -> list[str]:
        """The kinds of measure a department may record: only what the listed measure allows,
        never a heavier local one (国办发〔2020〕49号). A notice written before measures had
        categories allows every kind."""
        return ALLOWED_KINDS.get(self.category, list(MeasureTaken.Kind.values))

    @property
    def webhook_id(self) -> str:
        # Standard Webhooks: the same id on every attempt, so receivers can de-duplicate.
        return f"msg_{self.public_id.hex}"


class MeasureTaken(models.Model):
    """What the department did on a notice."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("给予激励")
        RESTRICTED = "restricted", _("实施限制")
        OTHER = "other", _("其他")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="measures_taken")
    kind = models.CharField(_("措施类别"), max_length=10, choices=Kind.choices)
    note = models.TextField(_("措施说明"))
    taken_on = models.DateField(_("实施日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]
        verbose_name = _("已采取措施")
        verbose_name_plural = _("已采取措施")

    def __str__(self):
        return f"{self.notice} · {self.get_kind_display()}"


OUTSIDE_LIST = _("措施类别超出本通报所列措施：不得采取清单以外或更重的措施。")
ALLOWED_KINDS = {
    Category.INCENTIVE: [MeasureTaken.Kind.GRANTED, MeasureTaken.Kind.OTHER],
    Category.RESTRICTION: [MeasureTaken.Kind.RESTRICTED, MeasureTaken.Kind.OTHER],
    Category.NOTICE: [MeasureTaken.Kind.OTHER],
    Category.REVIEW: [MeasureTaken.Kind.OTHER],
}


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("发送失败")

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="webhook")
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Webhook 推送")
        verbose_name_plural = _("Webhook 推送")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.notice} · Webhook"

    @property
    def can_resend(self) -> bool:
        """Only a delivery that finally failed is sent again by hand (the rest retry on their own)."""
        return self.status == self.Status.FAILED

    def failure_in_words(self) -> str:
        """What went wrong, for a clerk: ``last_error`` is the HTTP client's own message
        ("ConnectionError: [Errno 111] Connection refused"), kept for the delivery's detail."""
        error = self.last_error
        if not error:
            return ""
        if error.startswith("HTTP "):
            return _("对方系统拒收（%(status)s）") % {"status": error}
        if "Timeout" in error.split(":", 1)[0]:
            return _("对方系统无响应（超时）")
        if error.startswith("SSLError"):
            return _("与对方系统的加密连接失败")
        if error.startswith("ConnectionError"):
            return _("无法连接对方系统")
        if error == "endpoint removed":
            return _("该部门已停用 Webhook")
        return _("推送未成功")


class DeliveryAttempt(models.Model):
    """Every webhook attempt, kept: status code, error and how long it took."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    url = models.URLField(max_length=300)
    attempted_at = models.DateTimeField(_("时间"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"))

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = _("推送尝试")
        verbose_name_plural = _("推送尝试")

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
