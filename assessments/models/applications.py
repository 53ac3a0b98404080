"""The application (申报): one per unit and cycle, governed by one state machine.

The transitions are declared here, on the model, with django-fsm-2 (``protected=True``: the
status can only change through a transition). They are called only from
``assessments.workflow.advance``, which locks the row, checks the actor, records the
transition and queues side effects after commit. Later stages (ratings) add no states of their
own: the whole life of an application, from draft to publication, is this one machine.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from assessments.stars import Star
from portal.models import Role


class Status(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已提交，待受理")
    RETURNED = "returned", _("退回补正")
    ACCEPTED = "accepted", _("已受理")
    UNDER_EVALUATION = "under_evaluation", _("专家评估中")
    EVALUATED = "evaluated", _("评估完成，待等级考评")
    GRADED = "graded", _("已拟定等级")
    IN_PUBLICITY = "in_publicity", _("意见征询中")
    SUBMITTED_TO_GOVERNMENT = "submitted_to_government", _("报市政府确认中")
    GOVERNMENT_RETURNED = "government_returned", _("市政府退回")
    CONFIRMED = "confirmed", _("市政府已确认")
    PUBLISHED = "published", _("已公布")
    REVOKED = "revoked", _("已撤销")
    # A re-rating request the bureau refused (with its reasons); an annual application is
    # returned for correction instead, never refused.
    REFUSED = "refused", _("不予受理")


class Kind(models.TextChoices):
    ANNUAL = "annual", _("年度评估申请")
    # 整改后重新评级: re-runs evaluation, grade review and public comment for a published result
    # of the same cycle (ratings.Rerating links it to that result; docs/decisions/0104).
    RERATING = "rerating", _("整改后重新评级申请")


# What each state allows, named once; the Application predicates below read these, and so do
# querysets that filter by them. Templates and views ask the predicates, never a status value.
EDITABLE_BY_ENTERPRISE = (Status.DRAFT, Status.RETURNED)
# States from which the bureau may (still) assign experts.
ASSIGNABLE_STATES = (Status.ACCEPTED, Status.UNDER_EVALUATION)
# States whose evaluation report exists (evaluated and everything after it).
REPORTED_STATES = (
    Status.EVALUATED,
    Status.GRADED,
    Status.IN_PUBLICITY,
    Status.SUBMITTED_TO_GOVERNMENT,
    Status.GOVERNMENT_RETURNED,
    Status.CONFIRMED,
    Status.PUBLISHED,
    Status.REVOKED,
)
# States the grade review (等级考评) may set a grade from: first grading, or again after the
# municipal government returned it.
GRADABLE_STATES = (Status.EVALUATED, Status.GOVERNMENT_RETURNED)


@dataclass(frozen=True)
class MissingParts:
    """What a draft still lacks before it may be submitted (see Application.missing_parts)."""

    item_codes: tuple[str, ...] = ()  # items without a self-score, in the standard's order
    report: bool = False  # the self-check report is blank

    def __len__(self) -> int:
        return len(self.item_codes) + int(self.report)


def _is_own_enterprise(application, user) -> bool:
    return user.role == Role.ENTERPRISE and application.unit.is_visible_to(user)


def _is_bureau(application, user) -> bool:
    return user.role == Role.BUREAU


def _is_government(application, user) -> bool:
    return user.role == Role.GOVERNMENT


def _is_assigned_expert(application, user) -> bool:
    return user.role == Role.EXPERT and application.assignments.filter(expert__user=user).exists()


def _self_assessment_complete(application) -> bool:
    return application.is_self_assessment_complete()


def _is_annual(application) -> bool:
    return application.kind == Kind.ANNUAL


def _is_rerating(application) -> bool:
    return application.kind == Kind.RERATING


def _has_rectification(application) -> bool:
    """A re-rating request states what was put right and brings at least one file."""
    return bool(application.self_report.strip()) and application.evidence.exists()


class Application(FSMModelMixin, models.Model):
    cycle = models.ForeignKey(
        "assessments.Cycle",
        verbose_name=_("考核周期"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("申报单位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(
        _("申请类别"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL, editable=False
    )
    status = FSMField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    self_report = models.TextField(_("自查报告"), blank=True)
    declared_vetoes = models.ManyToManyField(
        "assessments.VetoItem", verbose_name=_("自查发现的否决项"), blank=True, related_name="+"
    )
    self_score_total = models.DecimalField(
        _("自评得分"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Acceptance (受理)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_applications",
    )
    receipt_number = models.CharField(
        _("受理回执编号"), max_length=30, unique=True, null=True, blank=True
    )
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    # Evaluation (评估) and grade review (等级考评)
    preliminary_score = models.DecimalField(
        _("初评得分"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    score_adjustment = models.DecimalField(
        _("考评调整分"), max_digits=4, decimal_places=1, default=0
    )
    adjustment_reason = models.TextField(_("调整理由"), blank=True)
    comprehensive_score = models.DecimalField(
        _("综合考评得分"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    has_veto = models.BooleanField(_("存在否决项"), default=False)
    star = models.PositiveSmallIntegerField(_("星级"), choices=Star.choices, null=True, blank=True)
    gap_flagged = models.BooleanField(_("自评与初评差距过大"), default=False)
    veto_missed_flagged = models.BooleanField(_("自查漏报否决项"), default=False)
    evaluated_at = models.DateTimeField(_("评估完成时间"), null=True, blank=True)
    graded_at = models.DateTimeField(_("等级考评时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("评估申报")
        verbose_name_plural = _("评估申报")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit"],
                condition=models.Q(kind="annual"),
                name="one_application_per_cycle",
            ),
            # Once per cycle: a unit asks for re-rating of a cycle's result at most once.
            models.UniqueConstraint(
                fields=["cycle", "unit"],
                condition=models.Q(kind="rerating"),
                name="one_rerating_per_cycle",
            ),
        ]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self):
        return f"{self.unit} · {self.cycle}"

    # --- what the current state allows (asked by templates and views) ---

    @property
    def is_editable_by_enterprise(self) -> bool:
        return self.status in EDITABLE_BY_ENTERPRISE

    @property
    def is_rerating(self) -> bool:
        return self.kind == Kind.RERATING

    @property
    def is_returned_for_correction(self) -> bool:
        return self.status == Status.RETURNED

    @property
    def awaits_acceptance(self) -> bool:
        return self.status == Status.SUBMITTED

    @property
    def is_refused(self) -> bool:
        return self.status == Status.REFUSED

    @property
    def has_application_form(self) -> bool:
        """《评估申请表》 is generated from a submitted application, not while it is edited."""
        return (
            self.submitted_at is not None
            and not self.is_editable_by_enterprise
            and not self.is_rerating  # a re-rating request has its own page, no annual form
        )

    @property
    def awaits_experts(self) -> bool:
        return self.status in ASSIGNABLE_STATES

    @property
    def has_evaluation_report(self) -> bool:
        return self.status in REPORTED_STATES and self.preliminary_score is not None

    @property
    def is_gradable(self) -> bool:
        return self.status in GRADABLE_STATES

    @property
    def awaits_grade_review(self) -> bool:
        """Evaluated and not yet graded: the grade review may grade it in a batch."""
        return self.status == Status.EVALUATED

    @property
    def is_graded(self) -> bool:
        return self.status == Status.GRADED

    @property
    def is_in_publicity(self) -> bool:
        return self.status == Status.IN_PUBLICITY

    @property
    def is_confirmed(self) -> bool:
        return self.status == Status.CONFIRMED

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_returned_by_government(self) -> bool:
        return self.status == Status.GOVERNMENT_RETURNED

    def transitions_for(self, user) -> set[str]:
        """Names of the transitions ``user`` may take from the current state now."""
        return {
            transition.name
            for transition in self.get_available_user_status_transitions(user)  # django-fsm
        }

    def missing_parts(self) -> "MissingParts":
        """The one rule for a complete self-assessment: every item of the cycle's standard has
        a self-score and the self-check report is not blank. The submit transition, the
        service's message, the pages and the self-assessment script all ask this."""
        scored = set(self.self_scores.filter(score__isnull=False).values_list("item_id", flat=True))
        return MissingParts(
            item_codes=tuple(
                item.code for item in self.cycle.standard.items() if item.pk not in scored
            ),
            report=not self.self_report.strip(),
        )

    def is_self_assessment_complete(self) -> bool:
        return not self.missing_parts()

    # --- transitions (called only through assessments.workflow.advance) ---

    @transition(
        field=status,
        source=list(EDITABLE_BY_ENTERPRISE),
        target=Status.SUBMITTED,
        conditions=[_is_annual, _self_assessment_complete],
        permission=_is_own_enterprise,
    )
    def submit(self):
        pass

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        conditions=[_is_rerating, _has_rectification],
        permission=_is_own_enterprise,
    )
    def request_rerating(self):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.DRAFT,
        conditions=[_is_annual],
        permission=_is_own_enterprise,
    )
    def withdraw(self):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        conditions=[_is_annual],
        permission=_is_bureau,
    )
    def return_for_correction(self):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REFUSED,
        conditions=[_is_rerating],
        permission=_is_bureau,
    )
    def refuse(self):
        pass

    @transition(
        field=status, source=Status.SUBMITTED, target=Status.ACCEPTED, permission=_is_bureau
    )
    def accept(self):
        pass

    @transition(
        field=status, source=Status.ACCEPTED, target=Status.UNDER_EVALUATION, permission=_is_bureau
    )
    def start_evaluation(self):
        pass

    @transition(
        field=status,
        source=Status.UNDER_EVALUATION,
        target=Status.EVALUATED,
        permission=_is_assigned_expert,
    )
    def complete_evaluation(self):
        pass

    @transition(
        field=status,
        source=[Status.EVALUATED, Status.GOVERNMENT_RETURNED],
        target=Status.GRADED,
        permission=_is_bureau,
    )
    def grade(self):
        pass

    @transition(
        field=status, source=Status.GRADED, target=Status.IN_PUBLICITY, permission=_is_bureau
    )
    def open_publicity(self):
        pass

    @transition(
        field=status,
        source=Status.IN_PUBLICITY,
        target=Status.SUBMITTED_TO_GOVERNMENT,
        permission=_is_bureau,
    )
    def submit_to_government(self):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED_TO_GOVERNMENT,
        target=Status.CONFIRMED,
        permission=_is_government,
    )
    def confirm(self):
        pass

    @transition(
        field=status,
        source=Status.SUBMITTED_TO_GOVERNMENT,
        target=Status.GOVERNMENT_RETURNED,
        permission=_is_government,
    )
    def return_to_bureau(self):
        pass

    @transition(
        field=status, source=Status.CONFIRMED, target=Status.PUBLISHED, permission=_is_bureau
    )
    def publish(self):
        pass

    @transition(field=status, source=Status.PUBLISHED, target=Status.REVOKED, permission=_is_bureau)
    def revoke(self):
        pass


class ApplicationTransition(models.Model):
    """Append-only record of every state change: who, when, from, to, why."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="transitions"
    )
    name = models.CharField(_("操作"), max_length=40)
    source = models.CharField(_("原状态"), max_length=30, choices=Status.choices)
    target = models.CharField(_("新状态"), max_length=30, choices=Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("理由"), blank=True)
    reason_codes = ArrayField(models.CharField(max_length=30), default=list, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")

    def __str__(self):
        return f"{self.application_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("transition records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("transition records are append-only")


class SelfScore(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="self_scores"
    )
    item = models.ForeignKey("assessments.StandardItem", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("自评分"), max_digits=4, decimal_places=1, null=True, blank=True)
    notes = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("自评分")
        verbose_name_plural = _("自评分")
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="one_self_score_per_item"),
            models.CheckConstraint(
                name="self_score_not_negative", condition=models.Q(score__gte=0)
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.item.code}"


def evidence_path(instance, filename: str) -> str:
    # Random names: a path reveals nothing and cannot be guessed; files are served by a view.
    import uuid

    return f"evidence/{instance.application.cycle.year}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(
        "assessments.StandardItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("对应评分项"),
    )
    file = models.FileField(_("文件"), upload_to=evidence_path)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self):
        return self.original_name
