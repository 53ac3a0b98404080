"""Result pages whose cost does not grow with the number of matches.

A name fragment such as "新郑" is in nearly half of all unit names; counting every match and
paging deep into them would cost more the bigger the city. ``CappedPaginator`` counts at most
``cap`` matches (``SELECT count(*) FROM (… LIMIT cap + 1)``), so only the first ``cap`` results
can be paged to; the page says "more than cap" and asks for a narrower search.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap

    @cached_property
    def _counted(self) -> int:
        # A queryset, a list, or rows of the caller's own SQL that count themselves
        # (public/results.py).
        if isinstance(self.object_list, list):
            return len(self.object_list)
        count_up_to = getattr(self.object_list, "count_up_to", None)
        if count_up_to:
            return count_up_to(self.cap + 1)
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More matches than were counted."""
        return self._counted > self.cap
