"""The demo shows every stage; dashboards and the archive list what each role needs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Application, Status
from portal.archive import Disclosure
from portal.demo.publications import PREVIOUS_SCORES, split_score
from portal.views.dashboard import sections_for
from ratings import archive
from ratings.models import Certificate, Comment, Rating
from ratings.services import publication
from tests.access.ratings import stage

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_demo_has_a_published_cycle_and_the_current_cycle_in_every_state(client):
    from importlib import import_module

    from portal.demo import STEPS

    for step in STEPS:
        step.run(lambda line: None)
    previous = Rating.objects.filter(cycle__year=2025)
    assert previous.count() >= 35
    # Every boundary example keeps its intended score (95.0 stays five stars, 94.9 four).
    assert sorted(previous.values_list("comprehensive_score", flat=True)) == sorted(PREVIOUS_SCORES)
    assert set(previous.values_list("star", flat=True)) == {0, 3, 4, 5}
    assert previous.filter(revoked_at__isnull=False).count() == 1
    assert (
        Certificate.objects.filter(rating__cycle__year=2025).count()
        == previous.exclude(star=0).count()
    )
    current = set(Application.objects.exclude(cycle__year=2025).values_list("status", flat=True))
    assert {
        Status.GRADED,
        Status.IN_PUBLICITY,
        Status.SUBMITTED_TO_GOVERNMENT,
        Status.CONFIRMED,
    } <= current
    kinds = set(Comment.objects.values_list("kind", flat=True))
    assert kinds == {Comment.Kind.PUBLIC, Comment.Kind.OBJECTION}
    # Idempotent: a second run adds nothing.
    before = Application.objects.count()
    import_module("portal.demo.publications").run(lambda line: None)
    assert Application.objects.count() == before
    demo_shows_a_case_of_each_right(client)


def demo_shows_a_case_of_each_right(client):
    """Issue #16 in the demo: the bureau has a re-rating, a reply, a repair and a poor service
    rating waiting; the public sees a reply and the month's service figures."""
    from assessments.models import ServiceRating
    from portal.demo import due_process
    from portal.models import User
    from ratings.models import RatingReply, RepairRequest, Rerating
    from tests.conftest import sign_in

    (waiting,) = Rerating.objects.all()
    assert waiting.application.awaits_acceptance
    published = RatingReply.objects.published().get()
    pending = RatingReply.objects.pending().get()
    (repair,) = RepairRequest.objects.all()
    assert repair.is_pending
    (ticket,) = ServiceRating.objects.open_tickets()
    assert ServiceRating.objects.rated().count() == len(due_process.SERVICE_RATINGS)

    sign_in(client, User.objects.get(username="bureau"))
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert ticket.unit.name in dashboard
    assert (
        waiting.application.unit.name
        in client.get(reverse("ratings:rerating_list")).content.decode()
    )
    assert pending.rating.unit.name in client.get(reverse("ratings:reply_list")).content.decode()
    assert repair.unit.name in client.get(reverse("ratings:repair_list")).content.decode()
    client.logout()
    unit_page = client.get(reverse("public:unit", args=[published.rating.unit.credit_code]))
    assert published.published_text in unit_page.content.decode()
    assert (
        pending.text
        not in client.get(
            reverse("public:unit", args=[pending.rating.unit.credit_code])
        ).content.decode()
    )
    stats = client.get(reverse("stats:public"))
    (month,) = stats.context["service_months"]
    assert (month.rated, month.poor) == (len(due_process.SERVICE_RATINGS), 2)
    # A second run adds no case.
    due_process.run(lambda line: None)
    assert Rerating.objects.count() == 1 and RepairRequest.objects.count() == 1
    assert RatingReply.objects.count() == 2


def test_demo_item_scores_add_up_to_every_intended_score_exactly():
    from assessments.models import ScoringStandard

    standard = ScoringStandard.objects.order_by("created_at").first()
    maxima = [item.max_points for item in standard.items()]
    for score in sorted(set(PREVIOUS_SCORES)) + [Decimal("0.0"), Decimal("100.0")]:
        shares = split_score(score, maxima)
        assert sum(shares) == score
        assert all(Decimal(0) <= share <= top for share, top in zip(shares, maxima, strict=True))


def test_dashboards_show_each_role_its_work(world):
    s = stage(world)
    bureau_titles = {section.title: section for section in sections_for(world.users["bureau"])}
    assert bureau_titles["待答复的公示意见与异议"].count == 2
    government = {section.title: section for section in sections_for(world.users["government"])}
    assert government["待确认的评定结果"].count == 1
    enterprise = sections_for(world.users["enterprise"])
    assert any(
        entry.url == reverse("ratings:item_detail", args=[s.item.pk])
        for section in enterprise
        for entry in section.entries
    )
    assert not any(
        section.title == "公示与异议" for section in sections_for(world.users["enterprise_other"])
    )


def test_archive_discloses_by_level(world):
    s = stage(world)
    publication.revoke(rating=s.rating, reason="发生死亡事故。", actor=world.users["bureau"])
    public = archive.entries(world.unit, Disclosure.PUBLIC, None)
    kinds = {entry.kind for entry in public}
    assert {"rating", "certificate", "revocation"} <= kinds
    assert not any("综合考评得分" in entry.detail for entry in public)
    department = archive.entries(world.unit, Disclosure.DEPARTMENT, None)
    assert any("综合考评得分" in entry.detail for entry in department)
    from ratings.services import publicity

    publicity.answer(
        comment=s.comment, decision="upheld", text="已整改。", actor=world.users["bureau"]
    )
    full = archive.entries(world.unit, Disclosure.FULL, world.users["bureau"])
    assert any(entry.kind == "comment" for entry in full)
    assert not any(entry.kind == "comment" for entry in department)
