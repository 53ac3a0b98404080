"""What the system and audit administrators' dashboards show: the state of the thing that role
looks after (the security administrator's tokens are linkage's: linkage/dashboard.py)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Entry, Section
from portal.models import Role


def sections(user) -> list[Section]:
    if user.role == Role.SYSTEM_ADMIN:
        return [_accounts()]
    if user.role == Role.AUDIT_ADMIN:
        return [_audit()]
    return []


def _accounts() -> Section:
    from portal.user_admin import managed_users

    users = managed_users()
    return Section(
        title=_("用户管理"),
        entries=[
            Entry(_("账号总数"), meta=str(users.count())),
            Entry(_("待首次改密码"), meta=str(users.filter(must_change_password=True).count())),
            Entry(_("已停用"), meta=str(users.filter(is_active=False).count())),
        ],
        more_url=reverse("portal:user_list"),
    )


def _audit() -> Section:
    from auditlog.models import LogEntry

    since = timezone.now() - datetime.timedelta(days=1)
    failed = LogEntry.objects.filter(
        additional_data__event="login_failed", timestamp__gte=since
    ).count()
    unsealed = LogEntry.objects.filter(seal__isnull=True).count()
    return Section(
        title=_("审计日志"),
        entries=[
            Entry(_("近 24 小时登录失败"), meta=str(failed)),
            Entry(_("尚未封存进校验链的记录"), meta=str(unsealed)),
        ],
        more_url=reverse("portal:audit_log"),
    )
