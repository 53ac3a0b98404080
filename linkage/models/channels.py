"""How each linked department is reached, and how its approval system authenticates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentLink(models.Model):
    """Linkage settings of one ``units.Department``: its channels and its deadline.

    The in-portal inbox is always on. A webhook endpoint and its ``whsec_`` secret are set only
    by bureau administrators; the secret is kept readable because the platform signs with it.
    """

    department = models.OneToOneField(
        "units.Department", on_delete=models.CASCADE, related_name="link", verbose_name=_("部门")
    )
    is_enabled = models.BooleanField(
        _("启用联动"),
        default=True,
        help_text=_("停用后不再向该部门推送通报，其接口令牌也被拒绝。"),
    )
    email = models.EmailField(_("通报邮箱"), blank=True)
    webhook_url = models.URLField(_("Webhook 地址"), blank=True, max_length=300)
    webhook_secret = models.CharField(_("Webhook 密钥"), max_length=100, blank=True)
    ack_deadline_days = models.PositiveSmallIntegerField(
        _("签收期限（天）"),
        default=5,
        help_text=_("通报送达后超过该天数仍未签收，系统将催办。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("部门联动设置")
        verbose_name_plural = _("部门联动设置")

    def __str__(self):
        return str(self.department)

    @property
    def has_webhook(self) -> bool:
        return bool(self.webhook_url and self.webhook_secret)


class ApiToken(models.Model):
    """A department's bearer token for the query API. Only its SHA-256 is stored."""

    department = models.ForeignKey(
        "units.Department",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("部门"),
    )
    label = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(_("令牌前缀"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.department.short_name} {self.prefix}…"


class ApiQuery(models.Model):
    """One call of the query API: who asked about whom, and what they got."""

    department = models.ForeignKey(
        "units.Department", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.ForeignKey(ApiToken, null=True, on_delete=models.SET_NULL, related_name="+")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=40)
    status_code = models.PositiveSmallIntegerField(_("响应码"))
    result = models.CharField(_("结果"), max_length=40, blank=True)
    queried_at = models.DateTimeField(_("查询时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-queried_at"]
        verbose_name = _("接口查询记录")
        verbose_name_plural = _("接口查询记录")
