"""seed_bulk: a realistic city for benchmarks and demos."""

import io

import pytest
from django.core.management import call_command

from assessments.models import Application, Status
from portal.name_search import bigrams, filter_name
from public.results import matching_entries
from ratings.models import Certificate, Rating
from tests.test_public_search_entries import entries_match_their_sources
from units.credit_code import is_valid
from units.models import Area, Industry, Unit

pytestmark = pytest.mark.django_db


def test_seed_bulk_builds_a_consistent_city(client):
    before = Unit.objects.count()
    call_command("seed_bulk", units=80, cycles=2, revoked_share=0.1, stdout=io.StringIO())
    units = Unit.objects.all()[before:]
    assert Unit.objects.count() == before + 80
    assert all(is_valid(unit.credit_code) for unit in Unit.objects.all())
    assert all(unit.name_bigrams == bigrams(unit.name) for unit in Unit.objects.all())
    assert set(Unit.objects.values_list("area", flat=True)) >= set(
        Area.objects.values_list("pk", flat=True)
    )
    assert set(Unit.objects.values_list("industry", flat=True)) >= set(
        Industry.objects.values_list("pk", flat=True)
    )
    assert len(units) == 80
    ratings = Rating.objects.all()
    assert ratings.values("cycle").distinct().count() == 2
    assert 80 <= ratings.count() <= 160
    # Stars follow the score, certificates only for starred ratings, revocations have reasons.
    assert not Certificate.objects.filter(rating__star=0).exists()
    assert Certificate.objects.count() == ratings.exclude(star=0).count()
    revoked = ratings.filter(revoked_at__isnull=False)
    assert revoked.exists() and not revoked.filter(revocation_reason="").exists()
    assert Application.objects.filter(status=Status.REVOKED).count() == revoked.count()
    assert (
        Application.objects.filter(status=Status.PUBLISHED).count()
        == ratings.count() - revoked.count()
    )
    # The partial-name search finds them through the bigram column.
    sample = Rating.objects.order_by("pk").last().unit
    assert sample in filter_name(Unit.objects.all(), sample.name[3:5])
    # And the public search shows them; its entries and their pairs are rebuilt whole.
    response = client.get("/search/", {"q": sample.credit_code, "cycle": "all"})
    assert sample.name in response.text
    entries_match_their_sources()
    # A fragment is read from one of its pairs' range (SearchPair): the same results in the
    # same order as the entries' bigram index gives them.
    cuts = [(0, 2), (3, 5), (5, 7), (0, 3), (2, 6), (4, 7)]
    for fragment in {unit.name[start:end] for unit in units[:10] for start, end in cuts}:
        listed = []
        for number in range(1, 11):
            page = client.get("/search/", {"q": fragment, "page": number}).context["page"]
            listed += [card.rating_id for card in page] if page.number == number else []
        expected = matching_entries({"q": fragment, "cycle": ""}).order_by("unit_name", "rating")
        assert listed == list(expected.values_list("rating_id", flat=True)[:200]), fragment
        # The open data lists them in publication order.
        body = client.get("/api/v1/ratings/", {"q": fragment, "page_size": 200}).json()
        by_id = sorted(expected.values_list("rating_id", flat=True))
        assert [row["id"] for row in body["results"]] == by_id[:200], fragment


def _schema(cursor) -> set[tuple]:
    tables = [
        *("units_unit", "assessments_application", "ratings_rating", "ratings_certificate"),
        "public_searchpair",
    ]
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = ANY(%s::regclass[])",
        [tables],
    )
    indexes = set(cursor.fetchall())
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[])",
        [tables],
    )
    constraints = set(cursor.fetchall())
    cursor.execute(
        "SELECT tgname, tgenabled FROM pg_trigger "
        "WHERE tgrelid = 'ratings_rating'::regclass AND NOT tgisinternal"
    )
    return indexes | constraints | set(cursor.fetchall())


def test_bulk_load_writes_current_results_as_the_trigger_would_and_restores_the_schema(client):
    """The load drops indexes, constraints and the supersede trigger for speed (the trigger's
    enabled state is part of the schema compared); afterwards the schema is back as migrated,
    and every unit's newest result is its current one."""
    from django.db import connection

    with connection.cursor() as cursor:
        before = _schema(cursor)
    call_command("seed_bulk", units=120, cycles=3, stdout=io.StringIO())
    with connection.cursor() as cursor:
        assert _schema(cursor) == before

    ratings = list(Rating.objects.select_related("cycle").order_by("unit_id", "cycle__year"))
    by_unit: dict[int, list[Rating]] = {}
    for rating in ratings:
        by_unit.setdefault(rating.unit_id, []).append(rating)
    for unit_ratings in by_unit.values():
        for older, newer in zip(unit_ratings, unit_ratings[1:], strict=False):
            assert older.superseded_on == newer.published_on
        assert unit_ratings[-1].superseded_on is None
    # Certificates of replaced results are marked as publication marks them.
    for certificate in Certificate.objects.select_related("rating"):
        assert certificate.superseded_on == certificate.rating.superseded_on

    # The public search finds a unit seen in every cycle by its current result.
    unit = Unit.objects.get(pk=max(by_unit, key=lambda pk: len(by_unit[pk])))
    response = client.get("/search/", {"q": unit.credit_code})
    assert response.status_code == 200
    assert unit.name in response.text
