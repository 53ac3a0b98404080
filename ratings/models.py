"""Published ratings and certificates: what the public, departments and approval systems read.

A ``Rating`` is written once, when a confirmed application is published, and never edited:
a correction is a revocation (``revoked_at`` and a public reason), never an update of the
score or the star.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.stars import Star


class RatingQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)


class Rating(models.Model):
    application = models.OneToOneField(
        "assessments.Application", on_delete=models.PROTECT, related_name="rating"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="ratings")
    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.PROTECT, related_name="ratings")
    star = models.PositiveSmallIntegerField(_("星级"), choices=Star.choices)
    comprehensive_score = models.DecimalField(_("综合考评得分"), max_digits=4, decimal_places=1)
    has_veto = models.BooleanField(_("存在否决项"), default=False)
    published_on = models.DateField(_("公布日期"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(_("撤销理由"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "unit__name"]
        verbose_name = _("评级结果")
        verbose_name_plural = _("评级结果")
        constraints = [
            models.UniqueConstraint(fields=["unit", "cycle"], name="one_rating_per_cycle")
        ]
        indexes = [
            models.Index(fields=["cycle", "star"]),
            models.Index(fields=["unit", "-published_on"]),
        ]

    def __str__(self):
        return f"{self.unit} {self.cycle} {self.get_star_display()}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_key_monitoring(self) -> bool:
        """No star: listed as a key monitoring unit for accident hazards (seed §六)."""
        return self.star == Star.NONE


class Certificate(models.Model):
    """证书 of a starred unit: numbered, verifiable at /certificates/verify/<code>/."""

    class State(models.TextChoices):
        VALID = "valid", _("有效")
        EXPIRED = "expired", _("已过期")
        REVOKED = "revoked", _("已撤销")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("证书编号"), max_length=30, unique=True)
    verification_code = models.CharField(_("核验码"), max_length=32, unique=True)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"))
    pdf = models.FileField(_("证书文件"), upload_to="certificates/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")

    def __str__(self):
        return self.number

    def state(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.rating.is_revoked:
            return self.State.REVOKED
        if today > self.valid_until:
            return self.State.EXPIRED
        return self.State.VALID
