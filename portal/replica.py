"""Public reads from a PostgreSQL streaming replica, when ``DATABASE_REPLICA_URL`` names one.

Only anonymous GET/HEAD requests to ``@public`` views from visitors without a session read from
the replica: they see published results, which tolerate the second or so a replica lags.
Everything else reads the primary: signed-in users, forms and every write, and any visitor who
has a session (they may have just written something and must see it on the next page).
"""

import contextvars

from django.conf import settings

from portal.access import PUBLIC, declared_access

REPLICA = "replica"
_reading_replica = contextvars.ContextVar("reading_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def in_use() -> bool:
    """True while this request's reads go to the replica."""
    return _reading_replica.get()


class PrimaryReplicaRouter:
    """Reads go to the replica only inside a request the middleware below marked."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class PublicReadsFromReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "_replica_token", None)
        if token is not None:
            _reading_replica.reset(token)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            configured()
            and request.method in ("GET", "HEAD")
            and declared_access(view_func) == PUBLIC
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.user.is_authenticated
        ):
            request._replica_token = _reading_replica.set(True)
