"""Password rules of 等保 level 3: complexity, expiry, history, and first-sign-in change.

- ``CharacterClassesValidator``: at least three of upper case, lower case, digits, symbols.
- ``PasswordHistoryValidator``: none of the last ``PASSWORD_HISTORY_COUNT`` passwords again;
  it also records every new password's hash and restarts the expiry clock (Django calls
  ``password_changed`` after any ``set_password`` + ``save``).
- ``change_required``: the reason a signed-in user must change the password now, if any:
  it was set by someone else (``set_by_administrator``; the holder's own change or reset form
  clears the mark, portal/forms.py) or is older than
  ``PASSWORD_MAX_AGE_DAYS``. ``portal.sign_in_guard`` sends such a user to the change page.
"""

import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CLASSES = (
    ("upper", str.isupper),
    ("lower", str.islower),
    ("digit", str.isdigit),
    ("symbol", lambda ch: ch in string.punctuation or ch == " " or not ch.isalnum()),
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a message in the portal's own words (Django has no Chinese one)."""

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self):
        return _("密码至少须有%(min_length)d个字符。") % {"min_length": self.min_length}


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = {name for name, test in CLASSES if any(test(ch) for ch in password)}
        if len(found) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含大写字母、小写字母、数字、符号四类中的至少%(count)d类。") % {
            "count": self.min_classes
        }


class PasswordHistoryValidator:
    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if any(check_password(password, old) for old in recent_hashes(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        from portal.models import PasswordHistory, User

        if user is None or user.pk is None:
            return
        now = timezone.now()
        PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
        keep = PasswordHistory.objects.filter(user=user).values("pk")[: history_count()]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        User.objects.filter(pk=user.pk).update(password_changed_at=now)
        user.password_changed_at = now

    def get_help_text(self):
        count = history_count()
        return ngettext(
            "不能与最近%(count)d次使用过的密码相同。",
            "不能与最近%(count)d次使用过的密码相同。",
            count,
        ) % {"count": count}


def history_count() -> int:
    return settings.PASSWORD_HISTORY_COUNT


def recent_hashes(user) -> list[str]:
    stored = list(user.password_history.values_list("password", flat=True)[: history_count()])
    # The current password counts even if it predates the history (accounts made before it).
    return [user.password, *stored] if user.password else stored


def change_required(user) -> str | None:
    if user.must_change_password:
        return _("您的密码由他人设置，请先修改为只有您知道的密码。")
    changed = user.password_changed_at
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    if changed is not None and timezone.now() - changed > max_age:
        return _("您的密码已使用超过%(days)d天，请修改后继续。") % {
            "days": settings.PASSWORD_MAX_AGE_DAYS
        }
    return None


def set_by_administrator(user, raw_password: str) -> None:
    """An administrator (or an import) sets someone's password: the holder must change it at
    the next sign-in. Every path that sets a password for another person goes through here."""
    user.set_password(raw_password)
    user.must_change_password = True
    user.save()
