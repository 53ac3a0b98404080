"""What ratings tells later stages, synchronously and inside the publishing transaction.

linkage connects receivers that write notices to its outbox in the same transaction, so a
publication and its notices commit or roll back together (ratings never imports linkage).
Receivers get ``ratings`` (a list of Rating) and, for revocation, ``reason``.
"""

from django.dispatch import Signal

ratings_published = Signal()
ratings_revoked = Signal()
