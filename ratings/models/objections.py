"""Due process before and after an adverse result (国办发〔2020〕49号).

An ``AdverseNotice`` (告知书) is issued when a proposed result is no star, or when a grade is
lowered in the grade review or after public comment. It keeps what it told the enterprise (the
facts, the rule, the deadline) as written, whatever happens to the application later. A later
grade change supersedes it; only the latest notice in force holds the result back.

An ``Objection`` (异议/复核申请) to a proposed result under a notice, or to a published result, is
decided by a bureau officer who took no part in the application (``ratings.services.
objections.may_decide``), within a limit counted in working days (``portal.working_days``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.stars import Star


class AdverseNotice(models.Model):
    class Kind(models.TextChoices):
        NO_STAR = "no_star", _("拟定为无星级")
        LOWERED_IN_REVIEW = "lowered_in_review", _("等级考评中降低等级")
        LOWERED_AFTER_COMMENT = "lowered_after_comment", _("意见征询后降低等级")

    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="adverse_notices"
    )
    number = models.CharField(_("告知书编号"), max_length=30, unique=True)
    kind = models.CharField(_("告知事由"), max_length=24, choices=Kind.choices)
    proposed_star = models.PositiveSmallIntegerField(_("拟定星级"), choices=Star.choices)
    proposed_score = models.DecimalField(_("拟定综合得分"), max_digits=4, decimal_places=1)
    previous_star = models.PositiveSmallIntegerField(
        _("原星级"), choices=Star.choices, null=True, blank=True
    )
    # What the notice said, kept as written: the facts and items, and the rule it rests on.
    facts = models.JSONField(_("事实与理由"), default=list)
    rule = models.TextField(_("依据"))
    objection_deadline = models.DateField(_("异议截止日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("告知时间"), default=timezone.now)
    superseded_at = models.DateTimeField(_("被替代时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("不利结果告知书")
        verbose_name_plural = _("不利结果告知书")

    def __str__(self):
        return self.number

    @property
    def in_force(self) -> bool:
        return self.superseded_at is None

    def period_open(self, today=None) -> bool:
        """The enterprise may object up to and including the deadline day (China time)."""
        return (today or timezone.localdate()) <= self.objection_deadline


def objection_evidence_path(instance, filename: str) -> str:
    # Random names: a path reveals nothing and cannot be guessed; files are served by a view.
    return f"objections/{uuid.uuid4().hex}"


class Objection(models.Model):
    class Against(models.TextChoices):
        PROPOSED = "proposed", _("拟定结果")
        PUBLISHED = "published", _("已公布结果")

    class Decision(models.TextChoices):
        PENDING = "pending", _("待复核")
        UPHELD = "upheld", _("异议成立")
        NOT_UPHELD = "not_upheld", _("异议不成立")

    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="objections"
    )
    against = models.CharField(_("异议对象"), max_length=10, choices=Against.choices)
    notice = models.ForeignKey(
        AdverseNotice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("所针对的告知书"),
    )
    rating = models.ForeignKey(
        "ratings.Rating",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("所针对的评级结果"),
    )
    reasons = models.TextField(_("异议理由"))
    evidence = models.FileField(_("证明材料"), upload_to=objection_evidence_path, blank=True)
    evidence_name = models.CharField(_("文件名"), max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    due_on = models.DateField(_("复核期限"))
    decision = models.CharField(
        _("复核结论"), max_length=12, choices=Decision.choices, default=Decision.PENDING
    )
    decision_text = models.TextField(_("复核意见"), blank=True)
    new_score = models.DecimalField(
        _("复核后综合得分"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    new_has_veto = models.BooleanField(_("复核后存在否决项"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("复核决定时间"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("异议复核")
        verbose_name_plural = _("异议复核")
        constraints = [
            # One objection open at a time per application: a double click files it once.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(decision="pending"),
                name="one_pending_objection_per_application",
            )
        ]

    def __str__(self):
        return _("异议复核 #%(pk)s") % {"pk": self.pk}

    @property
    def is_decided(self) -> bool:
        return self.decision != self.Decision.PENDING

    def is_overdue(self, today=None) -> bool:
        return not self.is_decided and (today or timezone.localdate()) > self.due_on
