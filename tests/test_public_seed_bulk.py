"""seed_bulk: a realistic city for benchmarks and demos."""

import io

import pytest
from django.core.management import call_command

from assessments.models import Application, Status
from portal.name_search import bigrams, filter_name
from ratings.models import Certificate, Rating
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
    # And the public search shows them.
    response = client.get("/search/", {"q": sample.credit_code, "cycle": "all"})
    assert sample.name in response.text
