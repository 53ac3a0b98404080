"""Who may open which URL: one table, merged from one module per app.

Each entry maps a URL name to a ``Rule``: the personas allowed (see tests/conftest.PERSONAS)
and, for URLs with arguments, a function building them from the test world. A URL pattern
without an entry fails ``test_every_url_has_an_access_rule``.
"""

from .rules import Rule  # noqa: F401
