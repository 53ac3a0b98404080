"""Deny by default: every view declares who may use it, or the middleware refuses it.

Views are decorated with ``@public`` or ``@roles(Role.BUREAU, ...)``; an app keeps its views'
roles in one table, ``<app>/views/access.py``, applied with ``@allowed`` (``policy``). The middleware refuses
(500 in tests, 403 in production) any project view that declares nothing, so a view added
without a declaration cannot be reached by accident. Object checks live in each app's
selectors (``get_application_for(user, pk)``), never as a bare ``get_object_or_404``.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

ACCESS_ATTR = "access_roles"
PUBLIC = "__public__"
# Third-party views we mount ourselves are listed here by module prefix.
EXEMPT_MODULE_PREFIXES = ("django.views.static", "django.views.i18n")


def public(view: Callable) -> Callable:
    setattr(view, ACCESS_ATTR, PUBLIC)
    return view


def roles(*allowed: str) -> Callable[[Callable], Callable]:
    """Allow signed-in users whose role is one of ``allowed``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, frozenset(allowed))
        return wrapper

    return decorator


def signed_in(view: Callable) -> Callable:
    from portal.models import Role

    return roles(*Role.values)(view)


# In a policy table: every signed-in role.
SIGNED_IN = "__signed_in__"


def policy(table: dict[str, object]) -> Callable[[Callable], Callable]:
    """A decorator that applies ``table``, keyed ``"<views module>.<view name>"``: each value is
    ``PUBLIC``, ``SIGNED_IN`` or the roles allowed. A view missing from the table fails at
    import, so nothing is reachable by omission."""

    def allowed(view: Callable) -> Callable:
        key = f"{view.__module__.rsplit('.', 1)[-1]}.{view.__name__}"
        if key not in table:
            raise ImproperlyConfigured(
                f"{view.__module__}.{view.__name__} is not in its app's policy"
            )
        who = table[key]
        if who == PUBLIC:
            return public(view)
        if who == SIGNED_IN:
            return signed_in(view)
        return roles(*who)(view)

    return allowed


def declared_access(view: Callable):
    view_class = getattr(view, "view_class", None)
    return getattr(view, ACCESS_ATTR, None) or getattr(view_class, ACCESS_ATTR, None)


class DenyByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if declared_access(view_func) is not None:
            return None
        if view_func.__module__.startswith(EXEMPT_MODULE_PREFIXES):
            return None
        if settings.DEBUG:
            raise ImproperlyConfigured(
                f"{view_func.__module__}.{view_func.__name__} declares no access"
            )
        raise PermissionDenied
