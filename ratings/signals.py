"""What ratings tells the layers above it, synchronously and inside the publishing transaction.

Sent by ``ratings.services.publication`` (``publish`` and ``revoke``), after the ratings are
written and before the transaction commits. Arguments: ``ratings`` (a list of Rating) and, for
revocation, ``reason`` (the public reason).

Received by (each connects in its AppConfig.ready):
- ``linkage.receivers``: notices to the linked departments through the outbox, supervision
  tiers and rectification orders, in the same transaction, so a publication and its notices
  commit or roll back together;
- ``public.cache``: a new data version for the public pages once the transaction commits;
- ``ratings.services.repair`` (the app's own, connected first): a key-monitoring listing with
  its display dates for each no-star result.

ratings imports neither: the layers above depend on ratings, never the reverse (decision 0110).

``objection_decided`` (``objection``, ``actor``) is sent by ``ratings.services.objections``
after the decision on an objection has committed: the enterprise's transaction is finished
there (a hook for the service rating, 好差评).
"""

from django.dispatch import Signal

ratings_published = Signal()
ratings_revoked = Signal()
# An enterprise's reply appeared on or left the public record (``reply``): the public cache
# starts a new data version once the transaction commits.
reply_published = Signal()
reply_withdrawn = Signal()
# A granted credit repair (信用修复) ended a no-star result's listing today: ``rating``,
# ``reason`` (the bureau's decision) and ``actor``. linkage tells the departments that
# restricted the unit; the public cache starts a new data version.
key_monitoring_lifted = Signal()
objection_decided = Signal()
