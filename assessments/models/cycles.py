from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_PLEDGE_TEXT = """为切实落实安全生产主体责任，本单位自愿参加新郑市安全生产诚信建设活动，郑重承诺：
一、严格遵守安全生产法律、法规、规章和标准，依法取得安全生产行政许可，不从事非法、违法生产经营活动；
二、建立健全并落实安全生产规章制度和安全生产责任制，配备安全生产管理机构和专兼职安全员；
三、依法开展全员安全生产教育培训，特种作业人员持证上岗；
四、按规定提取和使用安全生产费用，足额存储安全生产风险抵押金，依法为从业人员办理社会保险；
五、制定生产安全事故应急预案并定期演练，及时排查治理事故隐患；
六、如实报告生产安全事故，不迟报、漏报、谎报、瞒报；
七、申报材料真实、准确、完整，不弄虚作假；
八、自觉接受政府、部门和社会的监督。
如有违反，愿意承担相应责任，接受失信惩戒。"""


class CycleQuerySet(models.QuerySet):
    def open(self):
        """Open cycles, newest first (``current()`` is the first of them)."""
        return self.filter(is_open=True)

    def current(self):
        """The open cycle, or None."""
        return self.open().first()


class Cycle(models.Model):
    """An annual assessment cycle (考核周期), e.g. 2026年度."""

    class Phase(models.TextChoices):
        PUBLICITY = "publicity", _("宣传培训")
        IMPLEMENTATION = "implementation", _("组织实施")
        EVALUATION = "evaluation", _("开展评估")
        DETERMINATION = "determination", _("等级认定")
        PUBLICATION = "publication", _("公布结果与授证")
        CLOSED = "closed", _("已结束")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=50)
    standard = models.ForeignKey(
        "assessments.ScoringStandard",
        verbose_name=_("评分标准"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    phase = models.CharField(
        _("阶段"), max_length=20, choices=Phase.choices, default=Phase.PUBLICITY
    )
    is_open = models.BooleanField(_("当前周期"), default=True)
    pledge_deadline = models.DateField(_("承诺书截止日期"))
    application_deadline = models.DateField(_("评估申请截止日期"))
    comment_start = models.DateField(_("意见征询开始日期"))
    comment_end = models.DateField(_("意见征询结束日期"))
    pledge_text = models.TextField(_("承诺书模板"), default=DEFAULT_PLEDGE_TEXT)
    gap_threshold = models.DecimalField(
        _("自评与初评差距预警阈值"), max_digits=4, decimal_places=1, default=Decimal("10.0")
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("考核周期")
        verbose_name_plural = _("考核周期")
        constraints = [
            models.UniqueConstraint(
                fields=["is_open"], condition=models.Q(is_open=True), name="one_open_cycle"
            ),
            models.CheckConstraint(
                name="comment_window_ordered",
                condition=models.Q(comment_end__gte=models.F("comment_start")),
            ),
        ]

    def __str__(self):
        return self.label(self.year, self.name)

    @staticmethod
    def label(year: int, name: str) -> str:
        # The default name ("2026年度") is the year in the reader's language; a name the bureau
        # chose otherwise is data and shows as written.
        if name == f"{year}年度":
            return gettext("%(year)s年度") % {"year": year}
        return name


class Pledge(models.Model):
    """《新郑市生产经营单位安全生产诚信建设承诺书》, signed online once per unit and cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="pledges")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="pledges")
    text = models.TextField(_("承诺内容"))
    signatory = models.CharField(_("签署人"), max_length=50)
    signatory_title = models.CharField(_("职务"), max_length=50)
    signed_on = models.DateField(_("签署日期"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("承诺书")
        verbose_name_plural = _("承诺书")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="one_pledge_per_cycle")
        ]

    def __str__(self):
        return f"{self.unit} {self.cycle}"


class WorkPlan(models.Model):
    """Phase 2: the unit's integrity work plan and working group (工作方案、工作组织)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="work_plans")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="work_plans")
    plan = models.TextField(_("诚信建设工作方案"))
    measures_and_goals = models.TextField(_("工作措施和目标"), blank=True)
    group_leader = models.CharField(_("工作组组长"), max_length=50)
    group_members = models.TextField(_("工作组成员"), help_text=_("每行一人：姓名、职务"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("诚信建设工作方案")
        verbose_name_plural = _("诚信建设工作方案")
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="one_plan_per_cycle")]


class MonthlyCheck(models.Model):
    """Phase 2: monthly check of one production unit (按生产作业单元分月考核)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="monthly_checks")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="monthly_checks")
    production_unit = models.CharField(_("生产作业单元"), max_length=100)
    month = models.DateField(_("考核月份"))
    result = models.CharField(_("考核结果"), max_length=200)
    problems = models.TextField(_("发现问题及整改"), blank=True)
    checked_by = models.CharField(_("考核人"), max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "production_unit"]
        verbose_name = _("分月考核记录")
        verbose_name_plural = _("分月考核记录")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "production_unit", "month"], name="one_check_per_month"
            )
        ]


class DeadlineReminder(models.Model):
    """One row per unit, cycle and deadline that was reminded: the beat task may run any number
    of times, a unit hears of each deadline once."""

    class Deadline(models.TextChoices):
        PLEDGE = "pledge", _("承诺书截止")
        APPLICATION = "application", _("评估申请截止")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    deadline = models.CharField(_("截止事项"), max_length=20, choices=Deadline.choices)
    sent_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("截止提醒")
        verbose_name_plural = _("截止提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "unit", "deadline"], name="one_reminder_per_deadline"
            )
        ]
