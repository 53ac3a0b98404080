"""Publication on the bureau's date, immutability of published results, revocation."""

import datetime

import pytest
from django.db import IntegrityError, InternalError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments.models import Application, Status
from portal.refusals import Refused
from ratings.models import Publication, Rating
from ratings.services import confirmation, publication
from ratings.signals import ratings_published, ratings_revoked
from tests.access.ratings import PUBLISHED_YEAR, stage

pytestmark = pytest.mark.django_db


def confirmed(world):
    s = stage(world)
    confirmation.decide(
        submission=s.submission,
        items=list(s.submission.items.all()),
        confirm=True,
        reason="同意",
        actor=world.users["government"],
    )
    return Application.objects.get(pk=s.submitted_application.pk)


def publish_today(client, application, number: int = 12):
    """The bureau's publication form, filled for today (so published at once)."""
    return client.post(
        reverse("ratings:publication_list"),
        {
            "publish_on": timezone.localdate().isoformat(),
            "document_number": str(number),
            "applications": [application.pk],
        },
        follow=True,
    )


def test_bureau_publishes_today_and_ratings_are_created_with_the_signal(client_as, world):
    application = confirmed(world)
    received = []

    def receiver(sender, ratings, **kwargs):
        # Inside the publishing transaction: linkage writes its outbox rows here.
        received.append((transaction.get_connection().in_atomic_block, list(ratings)))

    ratings_published.connect(receiver)
    try:
        response = publish_today(client_as("bureau"), application)
    finally:
        ratings_published.disconnect(receiver)
    assert "结果已公布" in response.content.decode()
    rating = Rating.objects.get(application=application)
    assert rating.star == application.star and rating.published_on == timezone.localdate()
    assert received and received[0][0] is True and received[0][1] == [rating]
    assert Application.objects.get(pk=application.pk).status == Status.PUBLISHED
    public = client_as("anonymous").get(reverse("public_ratings:results")).content.decode()
    assert world.other_unit.name in public


def test_a_later_date_is_scheduled_and_published_when_it_comes(world):
    application = confirmed(world)
    later = timezone.localdate() + datetime.timedelta(days=3)
    scheduled = publication.create_publication(
        cycle=application.cycle,
        applications=[application],
        publish_on=later,
        document_number=13,
        actor=world.users["bureau"],
    )
    assert not scheduled.is_published and not Rating.objects.filter(application=application)
    assert publication.publish_due(today=timezone.localdate()) == 0
    with pytest.raises(Refused):
        publication.create_publication(
            cycle=application.cycle,
            applications=[application],
            publish_on=later,
            document_number=14,
            actor=world.users["bureau"],
        )
    Publication.objects.filter(pk=scheduled.pk).update(publish_on=timezone.localdate())
    assert publication.publish_due() == 1
    assert Rating.objects.filter(application=application).exists()


def test_a_past_publication_date_is_refused(world):
    application = confirmed(world)
    with pytest.raises(Refused):
        publication.create_publication(
            cycle=application.cycle,
            applications=[application],
            publish_on=timezone.localdate() - datetime.timedelta(days=1),
            document_number=15,
            actor=world.users["bureau"],
        )


def test_a_published_rating_cannot_be_edited_through_the_application(client_as, world):
    s = stage(world)
    rating = s.rating
    rating.star = 5
    with pytest.raises(ValueError):
        rating.save()
    with pytest.raises(ValueError):
        rating.delete()
    with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(star=0)  # bypasses save(): the trigger refuses
    rating.refresh_from_db()
    assert rating.star == s.rating.application.star
    # The grade-change endpoint refuses a published application too.
    items = rating.application.publicity_items.all()
    response = client_as("bureau").post(
        reverse("ratings:item_grade", args=[items[0].pk]),
        {"new_score": "60.0", "reason": "试图修改"},
        follow=True,
    )
    assert "只有公示中的单位可以调整等级" in response.content.decode()
    assert Rating.objects.get(pk=rating.pk).comprehensive_score == rating.comprehensive_score


def test_revocation_is_public_and_shows_on_the_certificate_at_once(client_as, world):
    s = stage(world)
    received = []
    ratings_revoked.connect(
        lambda sender, ratings, reason, **kw: received.append(reason), weak=False
    )
    client = client_as("bureau")
    refused = client.post(
        reverse("ratings:rating_revoke", args=[s.rating.pk]), {"reason": ""}, follow=True
    )
    assert "撤销理由" in refused.content.decode()
    client.post(
        reverse("ratings:rating_revoke", args=[s.rating.pk]),
        {"reason": "发生一起死亡事故。"},
    )
    rating = Rating.objects.get(pk=s.rating.pk)
    assert rating.is_revoked and rating.revocation_reason == "发生一起死亡事故。"
    assert Application.objects.get(pk=rating.application_id).status == Status.REVOKED
    assert "发生一起死亡事故。" in received
    verify = client_as("anonymous").get(
        reverse("public_ratings:verify", args=[s.certificate.verification_code])
    )
    assert "已撤销" in verify.content.decode() and "发生一起死亡事故。" in verify.content.decode()
    results = client_as("anonymous").get(
        reverse("public_ratings:results") + f"?year={PUBLISHED_YEAR}"
    )
    assert "发生一起死亡事故。" in results.content.decode()
    with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
        Rating.objects.filter(pk=rating.pk).update(revocation_reason="改写")


def test_publication_list_does_not_offer_already_scheduled_results(client_as, world):
    application = confirmed(world)
    publication.create_publication(
        cycle=application.cycle,
        applications=[application],
        publish_on=timezone.localdate() + datetime.timedelta(days=1),
        document_number=16,
        actor=world.users["bureau"],
    )
    page = client_as("bureau").get(reverse("ratings:publication_list")).content.decode()
    assert "没有待公布的已确认结果" in page
