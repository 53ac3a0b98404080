import json

from django.core.paginator import EmptyPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from portal.access import public
from portal.paging import CappedPaginator
from portal.spreadsheets import CsvWriter
from public import cache as public_cache
from public.filters import RatingFilterForm, filter_choices
from public.results import (
    BY_ID,
    PUBLIC_FIELDS,
    Matches,
    matching_entries,
    open_data_page,
    open_data_rows,
    public_rows,
)
from public.search_query import where

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 999_999_999
CSV_CHUNK = 2000


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _positive_int(raw: str | None, default: int, maximum: int) -> int | None:
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)):
        return None
    value = int(raw)
    return value if 1 <= value <= maximum else None


def _filtered(request, choices: dict):
    """(cleaned filters, None) or (None, errors) for the filters of the query string."""
    form = RatingFilterForm(request.GET, choices=choices)
    if not form.is_valid():
        return None, form.errors_by_field()
    return form.cleaned_data, None


API_PARAMETERS = (*RatingFilterForm.base_fields, "page", "page_size")


@public
@require_safe
@transaction.non_atomic_requests  # it only reads: no BEGIN and COMMIT round trips
@cache_control(public=True, max_age=300)
def ratings(request):
    """Published ratings, page by page, in publication order (rating id ascending).

    A valid query's body depends only on the query and the site address (absolute links), so
    it is cached whole; refused queries are answered without touching the cache.
    """
    # One cache round trip for the filter choices and, when the query is valid, the body.
    choices_key = public_cache.key("filter-choices", "")
    body_key = public_cache.key(
        "api-ratings",
        f"{request.build_absolute_uri('/')}?"
        + public_cache.canonical_query(request.GET, API_PARAMETERS),
    )
    choices, found = public_cache.shared_and_many(choices_key, filter_choices, [body_key])
    filters, errors = _filtered(request, choices)
    page_number = _positive_int(request.GET.get("page"), 1, MAX_PAGE)
    page_size = _positive_int(request.GET.get("page_size"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    errors = dict(errors or {})
    if page_number is None:
        errors["page"] = [_("page 应为正整数。")]
    if page_size is None:
        errors["page_size"] = [_("page_size 应为 1 至 %(max)d 的整数。") % {"max": MAX_PAGE_SIZE}]
    if errors:
        return _json({"errors": errors}, status=400)
    status, body = found.get(body_key) or public_cache.store(
        body_key, _page_body(request, filters, choices, page_number, page_size)
    )
    return HttpResponse(body, status=status, content_type="application/json")


def _page_body(request, filters, choices, page_number: int, page_size: int) -> tuple[int, str]:
    # A name search may match half the city: count it only up to a cap (portal/paging.py).
    by_name = bool(request.GET.get("q") or request.GET.get("name"))
    matches = Matches(where(filters, timezone.localdate()), BY_ID)
    paginator = (CappedPaginator if by_name else Paginator)(matches, page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        message = _("共 %(total)d 页，没有第 %(n)d 页。") % {
            "total": paginator.num_pages,
            "n": page_number,
        }
        return 404, _dumps({"errors": {"page": [message]}})
    base = request.build_absolute_uri("/")[:-1]

    def link(number: int) -> str:
        # Known parameters only: the body is cached and shared by every caller.
        query = QueryDict(public_cache.canonical_query(request.GET, API_PARAMETERS), mutable=True)
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return 200, _dumps(
        {
            "count": paginator.count,
            "count_capped": getattr(paginator, "capped", False),
            "page": page.number,
            "page_size": page_size,
            "num_pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": list(
                public_rows(
                    open_data_page(matches.ids(page.object_list)), choices=choices, base_url=base
                )
            ),
        }
    )


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


@public
@require_safe
def ratings_csv(request):
    """Every matching rating as CSV, UTF-8 with a BOM so that Excel reads the Chinese."""
    choices = public_cache.cached("filter-choices", "", filter_choices)
    filters, errors = _filtered(request, choices)
    if errors:
        return _json({"errors": errors}, status=400)
    entries = matching_entries(filters).order_by("rating_id")
    base = request.build_absolute_uri("/")[:-1]
    writer = CsvWriter(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(PUBLIC_FIELDS)
        found = open_data_rows(entries).iterator(chunk_size=CSV_CHUNK)
        for row in public_rows(found, choices=choices, base_url=base):
            yield writer.writerow([_csv_value(row[key]) for key in PUBLIC_FIELDS])

    filename = f"ratings-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
