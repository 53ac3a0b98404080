"""Published ratings and certificates: what the public, departments and approval systems read.

A ``Publication`` is the bureau's act of publishing confirmed results on a date it sets (with
the bulletin's document number); it creates one ``Rating`` per application.

A ``Rating`` is written once, when a confirmed application is published, and never edited:
a correction is a revocation (``revoked_at`` and a public reason), never an update of the
score or the star.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.stars import Star


class Publication(models.Model):
    """公布: confirmed results published on ``publish_on``; scheduled until that day comes."""

    cycle = models.ForeignKey(
        "assessments.Cycle", on_delete=models.PROTECT, related_name="publications"
    )
    publish_on = models.DateField(_("公布日期"))
    document_number = models.PositiveIntegerField(
        _("通报文号（序号）"), help_text=_("新安监〔年份〕N号中的 N")
    )
    applications = models.ManyToManyField(
        "assessments.Application", related_name="publications", verbose_name=_("公布的申报")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    bulletin_pdf = models.FileField(_("通报文件"), upload_to="bulletins/", blank=True)

    class Meta:
        ordering = ["-publish_on", "-pk"]
        verbose_name = _("结果公布")
        verbose_name_plural = _("结果公布")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "document_number"], name="one_document_number_per_cycle"
            )
        ]

    def __str__(self):
        return self.document_label

    @property
    def document_label(self) -> str:
        return f"新安监〔{self.cycle.year}〕{self.document_number}号"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def replaced_by_rerating() -> models.QuerySet:
    """Ids of the results a re-rating's new result replaced (kept as history)."""
    from .rerating import Rerating

    return Rerating.objects.filter(application__rating__isnull=False).values("rating_id")


class RatingQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)

    def current(self):
        """Each unit's latest result, whatever year it was published (docs/decisions/0055).

        A revoked latest result stays current: the revocation is what a visitor must see.
        """
        return self.filter(superseded_on__isnull=True)

    def final(self):
        """Per cycle, the result that stands: without the ones a re-rating replaced (kept as
        history, shown by the unit's archive and ``cycle=all``)."""
        return self.exclude(pk__in=replaced_by_rerating())

    def publicly_displayed(self, today=None):
        """What the public may read today: a no-star result only while its key-monitoring
        listing is displayed (ratings/models/listing.py); every other result always. A result
        written without the publication signal has no listing and shows as it always did."""
        return self.filter(_publicly_displayed(today or timezone.localdate()))

    def with_public_display(self, today=None):
        """Each rating with ``is_publicly_displayed``: whether ``publicly_displayed()`` keeps
        it (the unit page reads all of a unit's ratings once and shows the public these)."""
        displayed = _publicly_displayed(today or timezone.localdate())
        return self.annotate(
            is_publicly_displayed=models.ExpressionWrapper(
                displayed, output_field=models.BooleanField()
            )
        )


def _publicly_displayed(today) -> models.Q:
    return (
        ~models.Q(star=Star.NONE)
        | models.Q(listing__isnull=True)
        | models.Q(listing__display_ends_on__gt=today)
    )


class Rating(models.Model):
    application = models.OneToOneField(
        "assessments.Application", on_delete=models.PROTECT, related_name="rating"
    )
    publication = models.ForeignKey(
        Publication, null=True, on_delete=models.PROTECT, related_name="ratings"
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
    # Set by the database (triggers of migrations 0005 and 0007) when a later cycle's result
    # for the same unit, or the result of its re-rating, is inserted, whichever code path
    # inserts it; NULL marks the unit's current result.
    superseded_on = models.DateField(_("被新结果取代日期"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "unit__name"]
        verbose_name = _("评级结果")
        verbose_name_plural = _("评级结果")
        # One result per unit and cycle, plus at most one re-rating result: the applications'
        # constraints (one annual, one re-rating per unit and cycle) and the OneToOne decide.
        indexes = [
            models.Index(fields=["unit", "cycle"], name="rating_unit_cycle"),
            models.Index(fields=["cycle", "star"]),
            models.Index(fields=["unit", "-published_on"]),
            # The public default view reads only current results: keep that index-sized.
            models.Index(
                fields=["unit"],
                condition=models.Q(superseded_on__isnull=True),
                name="rating_current_unit",
            ),
            models.Index(
                fields=["star"],
                condition=models.Q(superseded_on__isnull=True),
                name="rating_current_star",
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.cycle} {self.get_star_display()}"

    # The only columns a saved rating may ever change: its revocation, once.
    REVOCATION_FIELDS = frozenset({"revoked_at", "revoked_by", "revocation_reason"})

    def save(self, *args, **kwargs):
        # A published result is immutable (the database trigger of migration 0003 enforces the
        # same for queryset updates); the application refuses early with a readable error.
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and not (
            update_fields and set(update_fields) <= self.REVOCATION_FIELDS
        ):
            raise ValueError("a published rating is immutable; revoke it instead")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("a published rating is never deleted; revoke it instead")

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
    # Set when a later cycle's result for the same unit, or its re-rating result, is published:
    # the certificate ends then.
    superseded_on = models.DateField(_("被新结果取代日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("证书")
        verbose_name_plural = _("证书")

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.state() == self.State.VALID

    @property
    def is_expired(self) -> bool:
        return self.state() == self.State.EXPIRED

    def get_state_display(self) -> str:
        return self.State(self.state()).label

    def state(self, today=None) -> str:
        return self.state_of(
            revoked=self.rating.is_revoked,
            valid_until=self.valid_until,
            superseded_on=self.superseded_on,
            today=today or timezone.localdate(),
        )

    @classmethod
    def state_of(cls, *, revoked: bool, valid_until, superseded_on, today) -> str:
        """The state from the columns it depends on (pages that read columns, not rows)."""
        if revoked:
            return cls.State.REVOKED
        if today > valid_until:
            return cls.State.EXPIRED
        if superseded_on is not None and today >= superseded_on:
            return cls.State.EXPIRED
        return cls.State.VALID


class CertificateJob(models.Model):
    """Generating a publication's certificate PDFs in Celery; progress kept here for the page."""

    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, related_name="certificate_jobs"
    )
    total = models.PositiveIntegerField(_("证书总数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Null while the broker has not taken the job's chunks: the sweep queues it (Redis down).
    queued_at = models.DateTimeField(_("进入队列时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("证书生成任务")
        verbose_name_plural = _("证书生成任务")

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        if not self.total:
            return 100
        return int((self.done + self.failed) * 100 / self.total)
