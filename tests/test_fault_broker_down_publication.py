"""The bureau publishes and starts certificates through the pages while Redis is down: both
commit, the bureau is told what waits for the queue, and the sweeps finish the work once the
broker is back, without rendering or delivering anything twice."""

import pytest
from django.urls import reverse

from linkage import defaults
from linkage.models import Notice
from ratings.models import Certificate, CertificateJob, Publication
from ratings.services import certificates
from tests.test_ratings_publication import confirmed, publish_today
from tests.throwaway import broker, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker():
    with broker(f"redis://127.0.0.1:{free_port()}/0"):
        yield


@pytest.fixture
def published(world, client_as, dead_broker, django_capture_on_commit_callbacks):
    application = confirmed(world)
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_today(client_as("bureau"), application)
    assert "结果已公布" in page.content.decode()
    return Publication.objects.get(document_number=12)


def test_publishing_with_redis_down_commits_and_leaves_notices_for_the_sweep(published):
    assert published.is_published and published.ratings.count() == 1
    rating = published.ratings.get()
    result = "none" if rating.star == 0 else str(rating.star)
    # Every linked department is told which unit got which result in which cycle, and the
    # measure the policy matrix gives it for that result with its basis; none delivered yet.
    assert not Notice.objects.filter(delivered_at__isnull=False).exists()
    assert set(
        Notice.objects.filter(rating=rating).values_list(
            "department__short_name",
            "unit",
            "rating__cycle",
            "result",
            "measure",
            "category",
            "basis_document",
            "basis_article",
            "delivered_at",
        )
    ) == {
        (short, rating.unit_id, published.cycle_id, result, *cell, None)
        for short, cell in defaults.default_matrix()[result].items()
    }


def start_certificates(client_as, publication, capture):
    with capture(execute=True):
        return client_as("bureau").post(
            reverse("ratings:certificates_start", args=[publication.pk]), follow=True
        )


def test_certificates_started_with_redis_down_wait_and_say_so(
    published, client_as, django_capture_on_commit_callbacks
):
    page = start_certificates(client_as, published, django_capture_on_commit_callbacks)

    assert page.status_code == 200
    text = page.content.decode()
    assert "后台任务队列暂时不可用" in text and "等待任务队列恢复" in text
    job = CertificateJob.objects.get(publication=published)
    assert job.total == 1 and job.queued_at is None and not job.is_finished
    # Still waiting: a second click must not start a second job.
    again = start_certificates(client_as, published, django_capture_on_commit_callbacks)
    assert "证书正在生成中" in again.content.decode()
    assert CertificateJob.objects.filter(publication=published).count() == 1


def test_the_sweep_queues_a_waiting_job_once_redis_is_back(
    published, client_as, monkeypatch, django_capture_on_commit_callbacks
):
    start_certificates(client_as, published, django_capture_on_commit_callbacks)
    job = CertificateJob.objects.get(publication=published)
    assert certificates.queue_waiting_jobs() == 0  # still down: nothing changes

    sent = []
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: sent.extend(calls) or True)
    assert certificates.queue_waiting_jobs() == 1
    assert certificates.queue_waiting_jobs() == 0  # queued now: the sweep leaves it alone
    (task, (job_id, chunk), _options) = sent[0]
    assert task.name == "ratings.tasks.render_certificates" and job_id == job.pk

    certificates.render_chunk(job_id, chunk)  # what the worker runs
    certificates.render_chunk(job_id, chunk)  # the same chunk delivered twice
    job.refresh_from_db()
    assert (job.total, job.done, job.failed, job.is_finished) == (1, 1, 0, True)
    assert Certificate.objects.get(rating__publication=published).pdf


@pytest.mark.django_db(transaction=True)  # commits as in production: on_commit runs for real
def test_with_the_queue_up_the_bureau_is_told_generation_has_started(world, client_as, monkeypatch):
    monkeypatch.setattr("portal.queue.send_tasks", lambda calls: True)  # the broker takes them
    publish_today(client_as("bureau"), confirmed(world))
    publication = Publication.objects.get(document_number=12)
    page = client_as("bureau").post(
        reverse("ratings:certificates_start", args=[publication.pk]), follow=True
    )
    assert "已开始生成 1 份证书" in page.content.decode()
    assert CertificateJob.objects.get(publication=publication).queued_at is not None
