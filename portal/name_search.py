"""Partial Chinese name search that an index can serve.

pg_trgm needs three characters, but two-character fragments (新郑, 化工) are the common case.
Each name is stored with its overlapping character pairs in an array column with a GIN index:
a fragment of two or more characters must contain all of its own pairs, which the index answers;
a LIKE on the few candidate rows then confirms the order. See docs/decisions/0003-name-search.md.
"""


def bigrams(text: str) -> list[str]:
    text = "".join(text.split()).lower()
    if len(text) < 2:
        return [text] if text else []
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


def filter_name(queryset, fragment: str, field: str = "name"):
    fragment = "".join(fragment.split())
    if not fragment:
        return queryset
    if len(fragment) == 1:
        return queryset.filter(**{f"{field}__contains": fragment})
    queryset = queryset.filter(**{f"{field}_bigrams__contains": bigrams(fragment)})
    if len(fragment) == 2:
        # A name holds a two-character fragment exactly when it holds that pair: no recheck,
        # and the planner's estimate for the pair alone picks the right plan (an ordered walk
        # of the name index for a common pair, the GIN index for a rare one).
        return queryset
    return queryset.filter(**{f"{field}__icontains": fragment})
