"""What linkage does when ratings publishes or revokes results (the ratings → linkage hand-off).

``ratings.signals`` declares the signals and says who receives them; ratings sends them
inside the transaction that publishes or revokes (ratings/services/publication.py), and
``LinkageConfig.ready`` connects the receivers below. Everything here runs in that transaction,
so a publication and its notices, tiers and rectification orders commit or roll back together.
ratings never imports linkage: the arrow points down, from linkage to ratings.
"""

from .services import outbox, supervision


def on_ratings_published(sender, ratings, **kwargs) -> None:
    ratings = list(ratings)
    if not ratings:
        return
    outbox.write_published_notices(ratings)
    supervision.set_tiers_from_ratings(ratings)
    supervision.detect_two_years_without_star(ratings)


def on_ratings_revoked(sender, ratings, reason: str = "", **kwargs) -> None:
    ratings = list(ratings)
    if not ratings:
        return
    outbox.write_revoked_notices(ratings, reason)
    supervision.set_tiers_after_revocation(ratings)


def on_key_monitoring_lifted(sender, rating, reason: str, actor, **kwargs) -> None:
    """A granted credit repair: the lift record, the tier and a notice to every department
    that restricted the unit, in the transaction of the decision."""
    supervision.lift_after_repair(rating=rating, actor=actor, reason=reason)
