from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.db import transaction
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from assessments.models import Cycle
from assessments.stars import Star
from portal.access import public
from public import cache as public_cache
from public.filters import RatingFilterForm, filter_choices
from public.results import CODE_PLACEHOLDER, certificate_state, search_page, unit_url_pattern
from public.templatetags.badges import certificate_state_badge, star_badge
from ratings.models import Certificate
from units.models import Industry

PAGE_SIZE = 20
# A visitor looks a unit up: 10 pages in name order are plenty, and more asks for a narrower
# search. Counting further cost more than the rest of the page (open data counts to 1,000).
COUNT_CAP = 200


SEARCH_PARAMETERS = (*RatingFilterForm.base_fields, "page")


@dataclass(frozen=True)
class ResultCard:
    """One result as its card shows it."""

    rating_id: int
    unit_name: str
    credit_code: str
    url: str
    cycle_year: int
    cycle: str
    area: str
    industry: str
    star_badge: str
    revoked: bool
    certificate_number: str | None
    certificate_status: str


def result_cards(rows, choices: dict) -> list[ResultCard]:
    """Cards from the page's rows (public.results.CARD_COLUMNS), areas and industries named from
    the filter choices. What is the same on many cards (badges, labels, the unit URL's shape)
    is made once per language, not per card."""
    today = timezone.localdate()
    areas = choices["area_names"]
    language = get_language()
    words = _card_words(language)
    industries = _industry_names(language, tuple(choices["industry_names"].items()))
    unit_url = unit_url_pattern()
    cards = []
    for row in rows:
        number = row["rating__certificate__number"]
        state = certificate_state(row, today)
        cards.append(
            ResultCard(
                rating_id=row["rating_id"],
                unit_name=row["unit_name"],
                credit_code=row["credit_code"],
                url=unit_url.replace(CODE_PLACEHOLDER, row["credit_code"]),
                cycle_year=row["cycle_year"],
                cycle=_cycle_label(language, row["cycle_year"], row["rating__cycle__name"]),
                area=areas.get(row["area_id"], ""),
                industry=industries.get(row["industry_id"], ""),
                star_badge=words["stars"][row["star"]],
                revoked=row["rating__revoked_at"] is not None,
                certificate_number=number,
                certificate_status=words["certificates"][state] if number else "",
            )
        )
    return cards


@lru_cache(maxsize=8)
def _card_words(language: str) -> dict:
    # ``language`` keys the cache: everything here is in the active language.
    return {
        "stars": {star: star_badge(star) for star in Star.values},
        "certificates": {state: certificate_state_badge(state) for state in Certificate.State},
        "revoked": format_html(' <span class="badge text-bg-danger">{}</span>', gettext("已撤销")),
        "labels": tuple(
            escape(label)
            for label in (
                gettext("信用代码"),
                gettext("考核年度"),
                gettext("乡镇街道"),
                gettext("行业"),
            )
        ),
        "certificate": escape(gettext("证书编号")),
    }


@lru_cache(maxsize=64)
def _industry_names(language: str, industries: tuple) -> dict[int, str]:
    return {pk: str(Industry(name=name)) for pk, name in industries}


@lru_cache(maxsize=256)
def _cycle_label(language: str, year: int, name: str) -> str:
    return Cycle.label(year, name)


# One result's card. Written here rather than as a template loop: the loop's twenty cards
# of a dozen variables each were a fifth of a search request (issue #15).
CARD = """  <li class="card mb-2">
    <div class="card-body py-2">
      <div class="d-flex flex-wrap justify-content-between align-items-start gap-2">
        <h2 class="h6 mb-1"><a href="{url}">{name}</a></h2>
        <div>{star}{revoked}</div>
      </div>
      <dl class="row small mb-0">
        <dt class="col-5 col-md-2">{code_label}</dt><dd class="col-7 col-md-4 font-monospace mb-0">{code}</dd>
        <dt class="col-5 col-md-2">{cycle_label}</dt><dd class="col-7 col-md-4 mb-0">{cycle}</dd>
        <dt class="col-5 col-md-2">{area_label}</dt><dd class="col-7 col-md-4 mb-0">{area}</dd>
        <dt class="col-5 col-md-2">{industry_label}</dt><dd class="col-7 col-md-4 mb-0">{industry}</dd>{certificate}
      </dl>
    </div>
  </li>
"""
CERTIFICATE = """
        <dt class="col-5 col-md-2">{label}</dt><dd class="col-7 col-md-4 mb-0">{number} {status}</dd>"""


def cards_html(cards: list[ResultCard]) -> str:
    """The cards' list items. Every value from the data is escaped as Django's ``escape``
    does (``html.escape``), without its lazy-string wrapper, which cost more than the rest."""
    words = _card_words(get_language())
    code_label, cycle_label, area_label, industry_label = words["labels"]
    items = []
    for card in cards:
        certificate = ""
        if card.certificate_number:
            certificate = CERTIFICATE.format(
                label=words["certificate"],
                number=escape(card.certificate_number),
                status=card.certificate_status,
            )
        items.append(
            CARD.format(
                url=escape(card.url),
                name=escape(card.unit_name),
                star=card.star_badge,
                revoked=words["revoked"] if card.revoked else "",
                code_label=code_label,
                code=escape(card.credit_code),
                cycle_label=cycle_label,
                cycle=escape(card.cycle),
                area_label=area_label,
                area=escape(card.area),
                industry_label=industry_label,
                industry=escape(card.industry),
                certificate=certificate,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 # nosec B308 B703 - values escaped above


def selects(form, choices: dict, chosen_cycle) -> str:
    """The form's four lists, the visitor's choices marked. They are the same for every search
    with the same lists and choices, so they are kept per language, lists and choices, as the
    site parts are (portal/templatetags/site_parts.py): they were a third of the form's cost."""

    def given(name: str) -> str:
        return form.data.get(name) or ""

    lists = tuple(choices["cycles"]), tuple(choices["areas"]), tuple(choices["industries"])
    chosen = chosen_cycle, given("star"), given("area"), given("industry")
    return _selects(get_language(), lists, chosen, frozenset(form.errors))


@lru_cache(maxsize=512)
def _selects(language: str, lists: tuple, chosen: tuple, invalid: frozenset) -> str:
    # ``language`` keys the cache: the lists are rendered in the active language.
    (cycles, areas, industries), (chosen_cycle, star, area, industry) = lists, chosen
    context = {
        "chosen_cycle": chosen_cycle,
        "invalid": invalid,
        "cycle_options": [(year, label, chosen_cycle == year) for year, label in cycles],
        "star_options": [(value, label, star == str(value)) for value, label in Star.choices],
        "area_options": [(name, name, area == name) for name in areas],
        "industry_options": [(name, gettext(name), industry == name) for name in industries],
    }
    return render_to_string("public/_search_selects.html", context)


@public
@require_safe
@transaction.non_atomic_requests  # it only reads: no BEGIN and COMMIT round trips
def search(request):
    """Published ratings by name fragment, credit code, area, industry, star and cycle.

    Without a chosen cycle each unit's current result is shown, whatever year it was
    published in, so a unit appears once and an older result still in force is found. The
    page's content (form and results) holds nothing per visitor, so a valid query's content is
    rendered once per data version and reused (public/cache.py).
    """
    choices_key = public_cache.key("filter-choices", "")
    known = public_cache.canonical_query(request.GET, SEARCH_PARAMETERS)
    content_key = public_cache.key("search", known)
    choices, found = public_cache.shared_and_many(choices_key, filter_choices, [content_key])
    form = RatingFilterForm(request.GET, choices=choices)
    valid = form.is_valid()

    def content() -> str:
        data = dict(form.cleaned_data) if valid else {}
        data.setdefault("cycle", "")
        page = search_page(data, request.GET.get("page"), PAGE_SIZE, cap=COUNT_CAP)
        page.object_list = result_cards(page.object_list, choices)
        # Links carry only the known parameters: the content is shared by every visitor.
        query = QueryDict(known, mutable=True)
        query.pop("page", None)
        context = {
            "q": form.data.get("q") or "",
            "selects": selects(form, choices, data["cycle"]),
            "form": form,
            "page": page,
            "cards": cards_html(page.object_list),
            "query": query.urlencode(),
            "searched": bool(known),
        }
        # No request: the fragment needs no context processor (the page around it runs them).
        return render_to_string("public/_search.html", context)

    if not valid:
        html = content()
    else:
        html = found.get(content_key) or public_cache.store(content_key, content())
    return render(request, "public/search.html", {"content": html}, status=200 if valid else 400)
