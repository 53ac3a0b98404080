from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("生产经营单位")
    TOWNSHIP = "township", _("乡镇人民政府、街道办事处")
    SUPERVISOR = "supervisor", _("市直有关部门（行业主管）")
    BUREAU = "bureau", _("市安全生产监管局")
    EXPERT = "expert", _("专家、中介机构")
    GOVERNMENT = "government", _("市人民政府")
    DEPARTMENT = "department", _("联动部门")
    # 三权分立 (GB/T 22239-2019 level 3): three administrators, each an account of its own.
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "secadmin", _("安全管理员")
    AUDIT_ADMIN = "auditadmin", _("审计管理员")


# Administrator accounts are made by the operator (``manage.py create_administrator``), never
# through the user-management pages: a system administrator who could make an audit
# administrator would hold both powers.
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
BUSINESS_ROLES = tuple(role for role in Role if role not in ADMIN_ROLES)


class User(AbstractUser):
    """A signed-in user holds one role, bound to the object that role needs."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    area = models.ForeignKey(
        "units.Area",
        verbose_name=_("所属乡镇街道"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    department = models.ForeignKey(
        "units.Department",
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    # Set when someone other than the user chose the password (an administrator's reset, an
    # account made for them); the forced-change middleware reads it at the next sign-in.
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # One role per account, and a known one: no account holds two administrator powers.
            models.CheckConstraint(
                name="user_role_is_known", condition=models.Q(role__in=Role.values)
            ),
            # A superuser would hold all three administrator powers at once.
            models.CheckConstraint(name="no_superusers", condition=models.Q(is_superuser=False)),
            models.CheckConstraint(
                name="administrator_has_no_binding",
                condition=~models.Q(role__in=[r.value for r in ADMIN_ROLES])
                | models.Q(unit__isnull=True, area__isnull=True, department__isnull=True),
            ),
            models.CheckConstraint(
                name="enterprise_user_has_unit",
                condition=~models.Q(role=Role.ENTERPRISE) | models.Q(unit__isnull=False),
            ),
            models.CheckConstraint(
                name="township_user_has_area",
                condition=~models.Q(role=Role.TOWNSHIP) | models.Q(area__isnull=False),
            ),
            models.CheckConstraint(
                name="department_user_has_department",
                condition=~models.Q(role__in=[Role.SUPERVISOR, Role.DEPARTMENT])
                | models.Q(department__isnull=False),
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    # One predicate per role, so templates ask ``user.is_bureau`` instead of spelling the value.
    @property
    def is_enterprise(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_township(self) -> bool:
        return self.role == Role.TOWNSHIP

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_bureau(self) -> bool:
        return self.role == Role.BUREAU

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT

    @property
    def is_government(self) -> bool:
        return self.role == Role.GOVERNMENT

    @property
    def is_department(self) -> bool:
        return self.role == Role.DEPARTMENT

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN

    @property
    def is_security_admin(self) -> bool:
        return self.role == Role.SECURITY_ADMIN

    @property
    def is_audit_admin(self) -> bool:
        return self.role == Role.AUDIT_ADMIN

    @property
    def is_administrator(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def requires_two_factor(self) -> bool:
        """Who must sign in with a second factor (等保 level 3): the one place that says so.

        Bureau and government accounts and every administrator. Other users may enrol of their
        own accord; once enrolled they are asked for it too (portal/two_factor.py).
        """
        return (
            self.role in (Role.BUREAU, Role.GOVERNMENT, *ADMIN_ROLES)
            or self.is_staff
            or self.is_superuser
        )


class Notification(models.Model):
    """An in-portal message asking something of a user; e-mail copies go out via Celery."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    # Set by the worker that sent the e-mail copy; null copies are re-queued by the sweep.
    emailed_at = models.DateTimeField(_("邮件发出时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


class AuditSeal(models.Model):
    """One link of the hash chain over the audit log (``portal.audit_chain``).

    ``digest`` = SHA-256(previous digest + the entry's canonical content). The entry is not a
    foreign key with a database constraint on purpose: a deleted entry must leave its seal
    behind, so that the verifier can name what is missing.
    """

    seq = models.BigAutoField(primary_key=True)
    entry = models.OneToOneField(
        "auditlog.LogEntry",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="seal",
    )
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审计记录校验链")
        verbose_name_plural = _("审计记录校验链")


class AuditPurge(models.Model):
    """Where the chain starts after entries past the retention period were removed: the first
    remaining seal must continue from ``last_digest``."""

    through_seq = models.BigIntegerField()
    last_digest = models.CharField(max_length=64)
    entries = models.PositiveIntegerField()
    before = models.DateTimeField()
    purged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-through_seq"]


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords, so that none of the last few is chosen again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码摘要"), max_length=128)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")


class SignedInSession(models.Model):
    """One signed-in browser session, so that its holder can see it and end it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(_("登录时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近活动"), default=timezone.now)
    address = models.CharField(_("地址"), max_length=45, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("登录会话")
        verbose_name_plural = _("登录会话")


class CalendarOverride(models.Model):
    """One day whose working status differs from what the calendar package says
    (``portal.working_days``): a holiday or adjusted working day of a State Council notice the
    package does not know yet, or a correction."""

    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(
        _("是否工作日"), help_text=_("勾选：当日上班（含调休上班）；不勾选：当日放假。")
    )
    note = models.CharField(
        _("说明"), max_length=100, help_text=_("例如：国务院办公厅通知，国庆节调休。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self):
        return f"{self.day} {_('上班') if self.is_working_day else _('放假')}"
