"""Expert evaluation (专家评估): the roster, assignments, item scores and veto findings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.applications import Status


class Expert(models.Model):
    class Kind(models.TextChoices):
        EXPERT = "expert", _("专家")
        AGENCY = "agency", _("中介机构")

    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.EXPERT)
    name = models.CharField(_("姓名/机构名称"), max_length=100)
    field = models.CharField(_("专业领域"), max_length=100)
    qualification = models.CharField(_("资质"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expert_profile",
        verbose_name=_("登录账号"),
    )
    is_active = models.BooleanField(_("在册"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("专家/中介机构")
        verbose_name_plural = _("专家/中介机构")

    def __str__(self):
        return self.name


class ConflictOfInterest(models.Model):
    """A declared conflict: the expert may not evaluate this unit."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("利害关系说明"), max_length=200)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突申报")
        verbose_name_plural = _("利益冲突申报")
        constraints = [
            models.UniqueConstraint(fields=["expert", "unit"], name="one_conflict_per_unit")
        ]

    def __str__(self):
        return f"{self.expert} · {self.unit}"


class AssignmentQuerySet(models.QuerySet):
    def live(self):
        """Tasks an expert can still work on: not signed, the application still with the
        experts, its cycle still open. Once it moves on (graded, published, withdrawn from
        evaluation, its cycle closed) an unsigned assignment is history, not work."""
        return self.filter(LIVE)

    def finished(self):
        return self.exclude(LIVE)


# The one application state in which assignments are worked on, in a cycle still open.
LIVE_STATUS = Status.UNDER_EVALUATION
# A re-rating re-evaluates a result of its own cycle, which may have closed since.
LIVE = models.Q(signed_off_at__isnull=True, application__status=LIVE_STATUS) & (
    models.Q(application__cycle__is_open=True) | models.Q(application__kind="rerating")
)


class Assignment(models.Model):
    application = models.ForeignKey(
        "assessments.Application", on_delete=models.PROTECT, related_name="assignments"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    # The expert declares "no conflict of interest" before scoring.
    no_conflict_declared_at = models.DateTimeField(_("无利益冲突声明时间"), null=True, blank=True)
    overall_opinion = models.TextField(_("综合评估意见"), blank=True)
    signed_off_at = models.DateTimeField(_("签署时间"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["assigned_at"]
        verbose_name = _("专家指派")
        verbose_name_plural = _("专家指派")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="one_assignment_per_expert"
            )
        ]

    def __str__(self):
        return f"{self.expert} → {self.application}"

    @property
    def is_live(self) -> bool:
        """Same rule as ``Assignment.objects.live()``, for one loaded row."""
        application = self.application
        return (
            self.signed_off_at is None
            and application.status == LIVE_STATUS
            and application.cycle.is_open
        )


class ExpertScore(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey("assessments.StandardItem", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("评分"), max_digits=4, decimal_places=1, null=True, blank=True)
    finding = models.TextField(_("评估发现"), blank=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "item"], name="one_expert_score_per_item"
            ),
            models.CheckConstraint(
                name="expert_score_not_negative", condition=models.Q(score__gte=0)
            ),
        ]

    def __str__(self):
        return f"{self.assignment} · {self.item.code}"


class VetoFinding(models.Model):
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="veto_findings"
    )
    veto_item = models.ForeignKey(
        "assessments.VetoItem", on_delete=models.PROTECT, related_name="+"
    )
    evidence = models.TextField(_("事实与依据"))

    class Meta:
        verbose_name = _("否决项认定")
        verbose_name_plural = _("否决项认定")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "veto_item"], name="one_finding_per_veto")
        ]

    def __str__(self):
        return f"{self.assignment} · {self.veto_item.code}"
