"""Security events in the audit log: sign-ins, sign-outs, second-factor checks, downloads and
every look at masked personal data.

They are django-auditlog entries with the ACCESS action, so the audit administrator reads and
exports them beside the data changes, and the hash chain (``portal.audit_chain``) covers them
too. The event's code is in ``additional_data["event"]``; ``changes`` holds a readable label and
the details, in the same ``{field: [before, after]}`` form as every other entry.

Other modules call ``record_security_event``; nothing here decides whether an event happens.
"""

import ipaddress

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出登录")
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("启用双因素认证")
    TWO_FACTOR_VERIFIED = "2fa_verified", _("双因素认证通过")
    TWO_FACTOR_FAILED = "2fa_failed", _("双因素认证失败")
    TWO_FACTOR_RECOVERY_USED = "2fa_recovery_used", _("使用恢复码")
    TWO_FACTOR_RESET = "2fa_reset", _("重置双因素认证")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    PASSWORD_RESET_BY_ADMIN = "password_reset_by_admin", _("管理员重置密码")
    DOWNLOAD = "download", _("下载文件")
    PERSONAL_DATA_SHOWN = "personal_data_shown", _("查看完整个人信息")
    AUDIT_PURGED = "audit_purged", _("清理过期审计记录")


def client_address(request) -> str | None:
    if request is None:
        return None
    address = request.META.get(settings.CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR")
    address = (address or "").split(",")[0].strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # a proxy header with junk in it; the column holds addresses only


def record_security_event(
    event: str,
    *,
    request=None,
    actor=None,
    target=None,
    description: str = "",
    details: dict | None = None,
) -> LogEntry:
    """Write one security event and return it.

    ``event`` is a ``SecurityEvent`` value (an unknown code is stored as given). ``actor`` is who
    did it (default: the request's signed-in user; None for an anonymous attempt). ``target`` is
    the object concerned (default: the actor); ``description`` names it when there is no object,
    e.g. the user name typed into a failed sign-in. ``details`` are short strings — never a
    password, a code or a token.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    target = target if target is not None else actor
    if target is not None:
        content_type = ContentType.objects.get_for_model(target)
        object_pk = str(target.pk)
        object_repr = description or str(target)[:200]
    else:
        from portal.models import User

        content_type = ContentType.objects.get_for_model(User)
        object_pk = ""
        object_repr = description[:200]
    label = str(SecurityEvent(event).label) if event in SecurityEvent.values else event
    details = {key: str(value)[:500] for key, value in (details or {}).items()}
    changes = {"event": ["", label], **{key: ["", value] for key, value in details.items()}}
    return LogEntry.objects.create(
        content_type=content_type,
        object_pk=object_pk,
        object_id=int(object_pk) if object_pk.isdigit() else None,
        object_repr=object_repr,
        action=LogEntry.Action.ACCESS,
        changes=changes,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        remote_addr=client_address(request),
        cid=get_cid(),
        additional_data={"event": event, **details},
    )
