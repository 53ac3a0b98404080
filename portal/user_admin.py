"""The system administrator's work on accounts: create, change role or binding, deactivate,
reset a password. Every change is in the audit log (django-auditlog records ``User``; a reset
adds a security event, since the password itself is never logged).

Administrator accounts are out of reach here: they are made by the operator with
``manage.py create_administrator``. A system administrator who could create or reset an audit
administrator would hold the audit power too (三权分立).
"""

import secrets
import string

from django.db import transaction
from django.http import Http404

from portal import passwords
from portal.models import ADMIN_ROLES, User
from portal.security_events import SecurityEvent, record_security_event

# Four character classes, so a generated password passes any composition rule we set.
_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "-_!@#%+=")


def managed_users():
    """The accounts a system administrator manages: everyone but the administrators."""
    return User.objects.exclude(role__in=[role.value for role in ADMIN_ROLES])


def get_managed_user(pk: int) -> User:
    user = managed_users().filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def temporary_password(length: int = 16) -> str:
    alphabet = "".join(_CLASSES)
    chars = [secrets.choice(group) for group in _CLASSES]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@transaction.atomic
def create_user(form) -> tuple[User, str]:
    """Save a new account from a valid form; returns it and its one-time password."""
    user = form.save(commit=False)
    password = temporary_password()
    passwords.set_by_administrator(user, password)
    return user, password


@transaction.atomic
def reset_password(actor: User, user: User, request=None) -> str:
    user = User.objects.select_for_update().get(pk=user.pk)
    password = temporary_password()
    passwords.set_by_administrator(user, password)
    record_security_event(
        SecurityEvent.PASSWORD_RESET_BY_ADMIN, request=request, actor=actor, target=user
    )
    return password


@transaction.atomic
def set_active(user: User, active: bool) -> bool:
    """Returns whether anything changed (a second click changes nothing)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    # Django refuses a deactivated account at its next request (ModelBackend.get_user), so
    # open sessions end without being looked for.
    return True
