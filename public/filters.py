"""The one filter form behind the public search, the JSON API and the CSV download.

Areas and industries are filtered by name (stable for open-data users, unlike database ids);
cycles by year. A value that is not a choice is a 400 with a message naming the field.
"""

from django import forms
from django.db import connection
from django.utils.translation import gettext_lazy as _

from assessments.models import Cycle
from assessments.stars import Star
from portal.prepared import preparing_cursor
from ratings.models import Rating
from units.credit_code import normalize
from units.models import Area, Industry

ALL_CYCLES = "all"


# Areas, industries and cycles in one round trip: read on every search and API request the
# cache cannot answer, where three ORM queries cost more than the search itself (issue #15).
# Orders as the models' Meta.ordering. Which cycles have ratings is a loose index scan of the
# ratings' cycle index, one probe per cycle: an EXISTS per cycle was planned as a sequential
# scan that stops at the first match, which for a cycle without ratings (the open one, all
# year) reads every rating.
_CHOICES_SQL = """
WITH RECURSIVE rated (cycle_id) AS (
    (SELECT cycle_id FROM {rating} ORDER BY cycle_id LIMIT 1)
    UNION ALL
    SELECT (SELECT cycle_id FROM {rating} WHERE cycle_id > rated.cycle_id
             ORDER BY cycle_id LIMIT 1)
      FROM rated WHERE rated.cycle_id IS NOT NULL
)
SELECT (SELECT coalesce(json_agg(json_build_array(id, name) ORDER BY "order", name), '[]')
          FROM {area}),
       (SELECT coalesce(json_agg(json_build_array(id, name) ORDER BY "order", name), '[]')
          FROM {industry}),
       (SELECT coalesce(json_agg(json_build_array(
                   year, name, id IN (SELECT cycle_id FROM rated WHERE cycle_id IS NOT NULL))
               ORDER BY year DESC), '[]')
          FROM {cycle})
"""


def filter_choices() -> dict:
    """What the filters accept; areas, industries and cycles are data (read, then cached).
    ``cycles``: (year, label) of those with at least one published rating, newest first, for
    the search form."""
    tables = {
        name: connection.ops.quote_name(model._meta.db_table)
        for name, model in (("area", Area), ("industry", Industry), ("rating", Rating))
    }
    tables["cycle"] = connection.ops.quote_name(Cycle._meta.db_table)
    # Prepared (portal/prepared.py): the same SQL on every request, planned once per connection.
    with preparing_cursor(connection) as cursor:
        cursor.execute(_CHOICES_SQL.format(**tables))  # nosec B608 - table names from models
        areas, industries, cycles = cursor.fetchone()
    area_ids = {name: pk for pk, name in areas}
    industry_ids = {name: pk for pk, name in industries}
    return {
        "areas": list(area_ids),
        "industries": list(industry_ids),
        # By name to id: a search then filters by a constant the planner can see; by id to
        # name: result rows name their area and industry without a join.
        "area_ids": area_ids,
        "industry_ids": industry_ids,
        "area_names": {pk: name for name, pk in area_ids.items()},
        "industry_names": {pk: name for name, pk in industry_ids.items()},
        "years": [year for year, _name, _rated in cycles],
        "cycles": [(year, Cycle.label(year, name)) for year, name, rated in cycles if rated],
    }


class RatingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("单位名称或统一社会信用代码"),
        required=False,
        max_length=100,
        help_text=_("可输入名称中的任意连续文字，如“新郑”“化工”。"),
    )
    name = forms.CharField(label=_("单位名称（部分）"), required=False, max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=30)
    # Names of the data (filter_choices), checked in clean_area and clean_industry: setting a
    # ChoiceField's choices on every request copied and normalised every name (issue #15).
    area = forms.CharField(label=_("乡镇街道"), required=False, max_length=50)
    industry = forms.CharField(label=_("行业"), required=False, max_length=50)
    star = forms.TypedChoiceField(
        label=_("星级"),
        choices=[("", _("全部星级")), *Star.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    cycle = forms.CharField(label=_("考核年度"), required=False, max_length=10)

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = set(choices["years"])
        self.ids = {"area": choices["area_ids"], "industry": choices["industry_ids"]}

    def clean(self) -> dict:
        """Adds ``area_id`` and ``industry_id`` for a chosen area or industry."""
        cleaned = super().clean()
        for name, ids in self.ids.items():
            if cleaned.get(name):
                cleaned[f"{name}_id"] = ids[cleaned[name]]
        return cleaned

    def clean_area(self) -> str:
        return self._known("area")

    def clean_industry(self) -> str:
        return self._known("industry")

    def _known(self, name: str) -> str:
        value = self.cleaned_data[name]
        if value and value not in self.ids[name]:
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return value

    def clean_credit_code(self) -> str:
        return normalize(self.cleaned_data["credit_code"])

    def clean_cycle(self) -> int | str:
        """A year, ``all``, or nothing. Unknown years are refused, not silently empty."""
        value = self.cleaned_data["cycle"].strip()
        if value in ("", ALL_CYCLES):
            return value
        if not value.isdigit() or len(value) != 4:
            raise forms.ValidationError(_("考核年度应为四位数字年份，如 2025。"), code="year")
        if int(value) not in self.years:
            raise forms.ValidationError(
                _("没有 %(year)s 年度的考核周期。") % {"year": value}, code="unknown"
            )
        return int(value)

    def errors_by_field(self) -> dict[str, list[str]]:
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}
