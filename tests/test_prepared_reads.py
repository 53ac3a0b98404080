"""portal/prepared.py: a read compiled once, run with each call's values, answers exactly what
its queryset answers."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from portal.prepared import Marker, PreparedRead, ValuesByIds
from tests.publication_support import publish_one as publish
from units.models import Unit

pytestmark = pytest.mark.django_db


def by_code(code):
    return Unit.objects.filter(credit_code=code).select_related("area").annotate(year=F("pk"))


def test_each_call_reads_the_database_with_its_own_values(world):
    read = PreparedRead(by_code, code=Marker.text("code"))
    for unit in (world.unit, world.other_unit, world.unit):
        [found] = read(code=unit.credit_code)
        assert found == unit and found.name == unit.name
    assert read(code="91410184MA00000000") == []
    world.unit.name = "改名后的单位"
    world.unit.save()
    assert read(code=world.unit.credit_code)[0].name == "改名后的单位"


def test_the_queryset_is_built_and_compiled_once_and_each_run_is_logged(world):
    built = []

    def build(code):
        built.append(code)
        return by_code(code)

    read = PreparedRead(build, code=Marker.text("code"))
    read(code=world.unit.credit_code)
    with CaptureQueriesContext(connection) as captured:
        [found] = read(code=world.other_unit.credit_code)
        # select_related objects and annotations come with the row, as from the ORM.
        assert found.area.name == world.other_unit.area.name
        assert found.year == world.other_unit.pk
    # Logged like any query (Django's query log, the debug toolbar), placeholders and all.
    [query] = captured
    assert query["sql"].startswith('SELECT "units_unit"')
    assert len(set(built)) == 1  # the marker, never a real value


def test_the_ratings_of_the_unit_page_match_the_orm(world):
    """The page's prepared read and the plain queryset agree, displayed flags included."""
    from django.utils import timezone

    from public.results import _public_page_ratings, _read_public_page

    publish(world.unit, 2024, "96.0")
    publish(world.unit, 2025, "62.0")
    today = timezone.localdate()
    expected = list(_public_page_ratings(world.unit.credit_code, today))
    found = _read_public_page(code=world.unit.credit_code, today=today)
    assert [r.pk for r in found] == [r.pk for r in expected]
    assert [r.is_publicly_displayed for r in found] == [r.is_publicly_displayed for r in expected]
    assert [r.cycle.year for r in found] == [2025, 2024]
    assert {r.unit.name for r in found} == {world.unit.name}


def test_a_parameter_the_compiled_query_does_not_hold_as_is_is_refused(world):
    read = PreparedRead(
        lambda name: Unit.objects.filter(name__icontains=name), name=Marker.text("name")
    )
    with pytest.raises(ImproperlyConfigured):
        read(name="郑")


def test_a_call_must_name_every_parameter(world):
    read = PreparedRead(by_code, code=Marker.text("code"))
    with pytest.raises(TypeError):
        read()


def test_values_by_ids_answers_what_the_queryset_answers_in_the_order_asked(world):
    read = ValuesByIds(lambda: Unit.objects.values("pk", "name", "area__name"), "pk")
    asked = [world.other_unit.pk, 0, world.unit.pk]
    expected = {row["pk"]: row for row in Unit.objects.values("pk", "name", "area__name")}
    assert read(asked) == [expected[world.other_unit.pk], expected[world.unit.pk]]
    assert read([]) == []
    world.unit.name = "改名后的单位"
    world.unit.save()
    assert read([world.unit.pk])[0]["name"] == "改名后的单位"


def test_values_by_ids_refuses_a_queryset_it_cannot_read_by_ids(world):
    # The ids must be the last parameter: a HAVING after the WHERE has one of its own.
    def grouped():
        return Unit.objects.values("pk").annotate(n=Count("area")).filter(n__gte=0)

    read = ValuesByIds(grouped, "pk")
    with pytest.raises(ImproperlyConfigured):
        read([world.unit.pk])
