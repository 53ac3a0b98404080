"""The enterprise's right to reply (SPEC §8): a short reply published beside its rating.

The bureau reviews a reply before the public sees it, within ``REPLY_DECISION_WORKING_DAYS``
working days: it publishes it as written, publishes it shortened (only by cutting words, never
by adding or changing any), or refuses it; shortening and refusal carry a reason the enterprise
reads. A published reply shows while its rating is the unit's current result: the next result
hides it (decision 0101).
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

REPLY_MAX_LENGTH = 300
# The working days the bureau has to decide (counted by portal.working_days).
REPLY_DECISION_WORKING_DAYS = 5
# Bidirectional overrides reorder what a reader sees; they are format (Cf) characters.
_ALLOWED_CONTROL = {"\n"}


def clean_reply_text(text: str) -> str:
    """The reply as it will be stored: trimmed, line ends normalised; or ValidationError with
    a message a user can act on (length, control characters)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ValidationError(_("请填写回应内容。"))
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError(
            _("回应最多 %(max)d 个字，现有 %(n)d 个字。")
            % {"max": REPLY_MAX_LENGTH, "n": len(text)}
        )
    if any(
        unicodedata.category(char) in ("Cc", "Cf") and char not in _ALLOWED_CONTROL for char in text
    ):
        raise ValidationError(_("回应含有控制字符，请只使用普通文字、标点和换行。"))
    return text


def is_cut_from(shorter: str, original: str) -> bool:
    """Whether ``shorter`` keeps ``original``'s characters in order, only leaving some out."""
    remaining = iter(original)
    return all(char in remaining for char in shorter)


class ReplyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=RatingReply.Status.PUBLISHED)

    def pending(self):
        return self.filter(status=RatingReply.Status.SUBMITTED)


class RatingReply(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已公开")
        REFUSED = "refused", _("不予公开")
        WITHDRAWN = "withdrawn", _("已撤回")

    rating = models.ForeignKey(
        "ratings.Rating", on_delete=models.PROTECT, related_name="replies", verbose_name=_("评级")
    )
    text = models.TextField(_("企业提交的回应"))
    published_text = models.TextField(_("公开的回应"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decide_by = models.DateField(_("审核期限"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    shortened = models.BooleanField(_("经删节"), default=False)
    decision_reason = models.TextField(_("删节或不予公开的理由"), blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("企业回应")
        verbose_name_plural = _("企业回应")
        constraints = [
            # One reply at a time per result: waiting for the bureau or published.
            models.UniqueConstraint(
                fields=["rating"],
                condition=models.Q(status__in=["submitted", "published"]),
                name="one_open_reply_per_rating",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | ~models.Q(published_text=""),
                name="published_reply_has_text",
            ),
            # Shortening and refusal are told to the enterprise with their reason.
            models.CheckConstraint(
                condition=models.Q(shortened=False) & ~models.Q(status="refused")
                | ~models.Q(decision_reason=""),
                name="reasoned_reply_decision",
            ),
        ]

    def __str__(self):
        return f"{self.rating.unit} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.PUBLISHED)

    @property
    def awaits_decision(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_refused(self) -> bool:
        return self.status == self.Status.REFUSED
