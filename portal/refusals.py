"""The one exception a service raises when it will not do what was asked.

Every app's services raise ``Refused`` with a message for the person who asked (a clerk, an
expert, the bureau); views show ``str(error)`` and leave the page as it was. Permission is not a
refusal: an actor who may not act at all gets ``PermissionDenied`` (403) instead.
"""


class Refused(Exception):
    """The action cannot be taken now; ``str(error)`` is a message for the user."""
