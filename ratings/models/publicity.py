"""Public comment (意见征询/公示): batches of proposed grades, comments, objections, answers.

A batch holds graded applications for a window (start and end are aware datetimes, entered and
shown in China Standard Time). While the window is open anyone may comment on a unit and the
unit may object to its proposed grade; the bureau answers every one before the result goes to
the municipal government. A commenter's contact details are stored for the bureau only.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.stars import Star
from portal.encryption import EncryptedTextField


class PublicityBatch(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("未开始")
        OPEN = "open", _("征询中")
        CLOSED = "closed", _("已截止")

    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.PROTECT, related_name="publicity_batches"
    )
    title = models.CharField(_("公示标题"), max_length=100)
    starts_at = models.DateTimeField(_("公示开始时间"))
    ends_at = models.DateTimeField(_("公示截止时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("公示批次")
        verbose_name_plural = _("公示批次")
        constraints = [
            models.CheckConstraint(
                name="publicity_window_ordered",
                condition=models.Q(ends_at__gt=models.F("starts_at")),
            )
        ]

    def __str__(self):
        return self.title

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.starts_at:
            return self.State.SCHEDULED
        if now < self.ends_at:
            return self.State.OPEN
        return self.State.CLOSED

    def get_state_display(self) -> str:
        return self.State(self.state()).label

    @property
    def is_open(self) -> bool:
        return self.state() == self.State.OPEN


class PublicityItem(models.Model):
    """One unit's proposed grade in a batch; the grade follows changes made while answering."""

    batch = models.ForeignKey(PublicityBatch, on_delete=models.PROTECT, related_name="items")
    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="publicity_items"
    )
    proposed_star = models.PositiveSmallIntegerField(_("拟定星级"), choices=Star.choices)
    proposed_score = models.DecimalField(_("拟定综合得分"), max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["-proposed_star", "application__unit__name"]
        verbose_name = _("公示单位")
        verbose_name_plural = _("公示单位")
        constraints = [
            models.UniqueConstraint(fields=["batch", "application"], name="one_item_per_batch")
        ]

    def __str__(self):
        return f"{self.batch} · {self.application.unit}"


def hash_tracking_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def objection_evidence_path(instance, filename: str) -> str:
    import uuid

    return f"objections/{uuid.uuid4().hex}"


class Comment(models.Model):
    """A public comment on a unit (意见) or the unit's own objection (异议)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("社会意见")
        OBJECTION = "objection", _("单位异议")

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("成立")
        NOT_UPHELD = "not_upheld", _("不成立")

    item = models.ForeignKey(PublicityItem, on_delete=models.PROTECT, related_name="comments")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    content = models.TextField(_("意见内容"))
    # Contact details of a public commenter: read by the bureau only, never published, encrypted
    # at rest (lengths are checked by CommentForm: 50 and 30 characters).
    contact_name = EncryptedTextField(_("联系人"), blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    tracking_code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evidence = models.FileField(_("证明材料"), upload_to=objection_evidence_path, blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    # The enterprise's reply to a public comment.
    reply = models.TextField(_("单位回复"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    # The bureau's answer.
    decision = models.CharField(_("处理结论"), max_length=12, choices=Decision.choices, blank=True)
    answer = models.TextField(_("处理意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("意见与异议")
        verbose_name_plural = _("意见与异议")
        indexes = [models.Index(fields=["item", "answered_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class GradeChange(models.Model):
    """Append-only: a grade changed while answering comments or after a government return."""

    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="grade_changes"
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grade_changes",
        verbose_name=_("所答复的意见"),
    )
    objection = models.ForeignKey(
        "ratings.Objection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grade_changes",
        verbose_name=_("所复核的异议"),
    )
    old_score = models.DecimalField(_("原综合得分"), max_digits=4, decimal_places=1)
    new_score = models.DecimalField(_("新综合得分"), max_digits=4, decimal_places=1)
    old_star = models.PositiveSmallIntegerField(_("原星级"), choices=Star.choices)
    new_star = models.PositiveSmallIntegerField(_("新星级"), choices=Star.choices)
    has_veto = models.BooleanField(_("存在否决项"), default=False)
    reason = models.TextField(_("调整理由"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("等级调整记录")
        verbose_name_plural = _("等级调整记录")

    def __str__(self):
        old, new = self.get_old_star_display(), self.get_new_star_display()
        return f"{self.application} · {old} → {new}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("grade changes are append-only")
        super().save(*args, **kwargs)
