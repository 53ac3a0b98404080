"""Certificates (证书): numbering, and generating a publication's PDFs in Celery with progress.

Numbers are allocated in the request that starts the job (one transaction, the cycle row
locked), so they are gapless and in unit order; the PDFs are rendered by workers in chunks.
"""

from __future__ import annotations

import logging
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Cycle
from assessments.services.service_ratings import TransactionKind, offer_service_ratings
from assessments.stars import Star
from portal.models import User
from portal.refusals import Refused

from ..models import Certificate, CertificateJob, Publication, Rating
from .publication import validity_end

CHUNK_SIZE = 20
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 16

logger = logging.getLogger(__name__)


def certificate_number(year: int, sequence: int) -> str:
    return f"新安诚证〔{year}〕第{sequence:04d}号"


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_certificates(publication: Publication) -> list[Certificate]:
    """Create the certificate rows (number, code, validity) for starred ratings lacking one."""
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=publication.cycle_id)
        ratings = (
            Rating.objects.in_force()
            .filter(publication=publication, certificate__isnull=True)
            .exclude(star=Star.NONE)
            .select_related("unit")
            .order_by("-star", "unit__name")
        )
        sequence = Certificate.objects.filter(rating__cycle=cycle).count()
        created = []
        for rating in ratings:
            sequence += 1
            created.append(
                Certificate.objects.create(
                    rating=rating,
                    number=certificate_number(cycle.year, sequence),
                    verification_code=new_verification_code(),
                    issued_on=publication.publish_on,
                    valid_until=validity_end(cycle, publication.publish_on),
                )
            )
        offer_service_ratings(
            kind=TransactionKind.CERTIFICATE,
            rows=[(c.rating.unit, c, c.number) for c in created],
        )
    return created


def start_job(*, publication: Publication, actor: User) -> CertificateJob:
    """Number the certificates and queue their rendering after commit.

    If Redis is down the job is saved unqueued (``queued_at`` null) and the bureau is told;
    ``queue_waiting_jobs`` (beat, every minute) queues it once the broker is back.
    """
    if not publication.is_published:
        raise Refused(_("结果公布后才能生成证书。"))
    with transaction.atomic():
        running = CertificateJob.objects.select_for_update().filter(
            publication=publication, finished_at__isnull=True
        )
        if running.exists():
            raise Refused(_("证书正在生成中，请稍候。"))
        issue_certificates(publication)
        pending = _unrendered(publication)
        job = CertificateJob.objects.create(
            publication=publication,
            total=len(pending),
            created_by=actor,
            finished_at=None if pending else timezone.now(),
        )
        if pending:
            transaction.on_commit(lambda: dispatch(job.pk, pending))
    job.refresh_from_db()
    return job


def _unrendered(publication: Publication) -> list[int]:
    return list(
        Certificate.objects.filter(rating__publication=publication, pdf="")
        .order_by("number")
        .values_list("pk", flat=True)
    )


def dispatch(job_id: int, certificate_ids: list[int]) -> bool:
    """Queue the job's chunks; mark it queued only if the broker took all of them."""
    from portal import queue

    from ..tasks import render_certificates

    calls = [
        (render_certificates, (job_id, certificate_ids[start : start + CHUNK_SIZE]), {})
        for start in range(0, len(certificate_ids), CHUNK_SIZE)
    ]
    if not queue.send_tasks(calls):
        return False
    CertificateJob.objects.filter(pk=job_id).update(queued_at=timezone.now())
    return True


def queue_waiting_jobs() -> int:
    """The sweep: queue jobs the broker never took (a chunk sent twice renders nothing twice)."""
    queued = 0
    waiting = CertificateJob.objects.filter(queued_at__isnull=True, finished_at__isnull=True)
    for job in waiting.select_related("publication"):
        queued += dispatch(job.pk, _unrendered(job.publication))
    return queued


def render_one(certificate: Certificate) -> None:
    from ..documents import certificate_pdf

    pdf = certificate_pdf(certificate)
    certificate.pdf.save(f"{certificate.verification_code}.pdf", ContentFile(pdf), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)


def render_chunk(job_id: int, certificate_ids: list[int]) -> None:
    """Render a chunk, skipping what is already rendered: a chunk queued twice (redelivered,
    or re-sent by the sweep) and a PDF downloaded before its turn do no work twice. Progress
    is read from the certificates themselves, so it counts each one once whoever rendered it."""
    job = CertificateJob.objects.get(pk=job_id)
    for pk in certificate_ids:
        with transaction.atomic():
            certificate = (
                Certificate.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("rating__unit", "rating__cycle")
                .filter(pk=pk, pdf="")
                .first()
            )
            if certificate is not None:
                try:
                    with transaction.atomic():
                        render_one(certificate)
                except Exception as error:  # noqa: BLE001 - recorded for the bureau, job goes on
                    CertificateJob.objects.filter(pk=job_id).update(
                        failed=F("failed") + 1, last_error=f"{certificate.number}: {error}"
                    )
        _record_progress(job)


def _record_progress(job: CertificateJob) -> None:
    remaining = Certificate.objects.filter(rating__publication_id=job.publication_id, pdf="")
    CertificateJob.objects.filter(pk=job.pk).update(done=max(job.total - remaining.count(), 0))
    CertificateJob.objects.filter(
        Q(pk=job.pk), Q(finished_at__isnull=True), Q(total__lte=F("done") + F("failed"))
    ).update(finished_at=timezone.now())


def ensure_pdf(certificate: Certificate) -> bytes:
    """The certificate's sealed PDF, rendering it now if the batch has not reached it yet."""
    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as handle:
                return handle.read()
        except OSError as error:  # lost from storage: the figures are in the database
            logger.warning("certificate file missing, rendering again: %s %r", certificate, error)
    render_one(certificate)
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def ensure_bulletin(publication: Publication) -> bytes:
    from ..documents import bulletin_pdf

    if publication.bulletin_pdf:
        try:
            with publication.bulletin_pdf.open("rb") as handle:
                return handle.read()
        except OSError as error:  # lost from storage: render it again
            logger.warning("bulletin file missing, rendering again: %r", error)
    pdf = bulletin_pdf(publication)
    publication.bulletin_pdf.save(
        f"bulletin-{publication.cycle.year}-{publication.document_number}.pdf",
        ContentFile(pdf),
        save=False,
    )
    Publication.objects.filter(pk=publication.pk).update(bulletin_pdf=publication.bulletin_pdf.name)
    return pdf
