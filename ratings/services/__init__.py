"""Writes of the ratings stage: publicity, confirmation, publication, certificates.

Every application state change goes through ``assessments.workflow.advance``.
"""


class Refused(Exception):
    """The action cannot be taken now; ``str(error)`` is a message for the user."""
