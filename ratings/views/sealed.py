"""Views that hand out sealed documents answer clearly when the seal is not configured."""

import logging
from functools import wraps

from django.shortcuts import render

from ..seal import SealUnavailable

logger = logging.getLogger(__name__)


def needs_seal(view):
    """A missing or unreadable seal key is the operators' problem, told to them in the log;
    the visitor gets a page saying the document cannot be made now (503), not a crash."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except SealUnavailable as error:
            logger.error("seal unavailable: %s", error)
            return render(request, "ratings/seal_unavailable.html", status=503)

    return wrapper
