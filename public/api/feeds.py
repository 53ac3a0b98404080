"""Atom feed of publications (one entry per publication batch) and revocations (one each).

A cycle publishes thousands of ratings on one day; an entry per rating would push every
revocation out of the feed at once, so publications are summarised per cycle and date and
link to the search page, while each revocation, rare and newsworthy, has its own entry.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from portal.access import public
from ratings.models import Rating

FEED_LENGTH = 50


@dataclass
class Event:
    key: str
    title: str
    description: str
    link: str
    updated: datetime.datetime


def recent_events(limit: int = FEED_LENGTH) -> list[Event]:
    batches = (
        Rating.objects.values("cycle__year", "cycle__name", "published_on")
        .annotate(count=Count("id"), updated=Max("created_at"))
        .order_by("-updated")[:limit]
    )
    events = [
        Event(
            key=f"publication/{batch['cycle__year']}/{batch['published_on']:%Y-%m-%d}",
            title=_("%(cycle)s安全生产诚信评级结果公布（%(n)d 家）")
            % {"cycle": batch["cycle__name"], "n": batch["count"]},
            description=_("%(date)s 公布 %(cycle)s评级结果 %(n)d 家。")
            % {
                "date": f"{batch['published_on']:%Y-%m-%d}",
                "cycle": batch["cycle__name"],
                "n": batch["count"],
            },
            link=reverse("public:search") + f"?cycle={batch['cycle__year']}",
            updated=batch["updated"],
        )
        for batch in batches
    ]
    revoked = (
        Rating.objects.filter(revoked_at__isnull=False)
        .select_related("unit", "cycle")
        .order_by("-revoked_at")[:limit]
    )
    events += [
        Event(
            key=f"revocation/{rating.pk}",
            title=_("撤销：%(unit)s %(cycle)s %(star)s")
            % {
                "unit": rating.unit.name,
                "cycle": rating.cycle.name,
                "star": rating.get_star_display(),
            },
            description=_("撤销理由：%(reason)s") % {"reason": rating.revocation_reason},
            link=reverse("public:unit", args=[rating.unit.credit_code]),
            updated=rating.revoked_at,
        )
        for rating in revoked
    ]
    return sorted(events, key=lambda event: event.updated, reverse=True)[:limit]


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries are text. Django's Atom1Feed marks them ``type="html"``, so a feed
    reader would render markup typed into a revocation reason; text is shown as typed."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class RatingsFeed(Feed):
    feed_type = PlainTextAtomFeed

    def __call__(self, request, *args, **kwargs):
        self.host = request.get_host().split(":")[0]
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("安全生产诚信评级结果公布与撤销")

    def subtitle(self):
        return str(settings.BUREAU_NAME)

    def link(self):
        return reverse("public:search")

    def feed_guid(self):
        return f"tag:{self.host},2010:ratings"

    def author_name(self):
        return str(settings.BUREAU_NAME)

    def items(self):
        return recent_events()

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        return item.description

    def item_link(self, item: Event) -> str:
        return item.link

    def item_guid(self, item: Event) -> str:
        return f"tag:{self.host},2010:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> datetime.datetime:
        return item.updated

    def item_updateddate(self, item: Event) -> datetime.datetime:
        return item.updated


@public
@require_safe
def ratings_feed(request):
    # A new instance per request: the feed keeps the request's host while it renders.
    return RatingsFeed()(request)
