import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def server_error(request):
    """A lost database connection is a clear 503, not a server error.

    Nothing half-written survives (the request's transaction is rolled back) and the page asks
    the user to go back and submit again; the next request reconnects (CONN_HEALTH_CHECKS).
    Rendered without context processors, which would need the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("database unavailable: %s", error)
        return HttpResponse(render_to_string("503.html"), status=503)
    return HttpResponse(render_to_string("500.html"), status=500)
