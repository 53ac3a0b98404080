"""Certificates (证书): numbering, and generating a publication's PDFs in Celery with progress.

Numbers are allocated in the request that starts the job (one transaction, the cycle row
locked), so they are gapless and in unit order; the PDFs are rendered by workers in chunks.
"""

from __future__ import annotations

import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Cycle
from assessments.stars import Star
from portal.models import User

from ..models import Certificate, CertificateJob, Publication, Rating
from . import Refused
from .publication import validity_end

CHUNK_SIZE = 20
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 16


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
    return created


def start_job(*, publication: Publication, actor: User) -> CertificateJob:
    if not publication.is_published:
        raise Refused(_("结果公布后才能生成证书。"))
    with transaction.atomic():
        running = CertificateJob.objects.select_for_update().filter(
            publication=publication, finished_at__isnull=True
        )
        if running.exists():
            raise Refused(_("证书正在生成中，请稍候。"))
        issue_certificates(publication)
        pending = list(
            Certificate.objects.filter(rating__publication=publication, pdf="")
            .order_by("number")
            .values_list("pk", flat=True)
        )
        job = CertificateJob.objects.create(
            publication=publication,
            total=len(pending),
            created_by=actor,
            finished_at=None if pending else timezone.now(),
        )
        if pending:
            transaction.on_commit(lambda: dispatch(job.pk, pending))
    return job


def dispatch(job_id: int, certificate_ids: list[int]) -> None:
    from ..tasks import render_certificates

    for start in range(0, len(certificate_ids), CHUNK_SIZE):
        render_certificates.delay(job_id, certificate_ids[start : start + CHUNK_SIZE])


def render_one(certificate: Certificate) -> None:
    from ..documents import certificate_pdf

    pdf = certificate_pdf(certificate)
    certificate.pdf.save(f"{certificate.verification_code}.pdf", ContentFile(pdf), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)


def render_chunk(job_id: int, certificate_ids: list[int]) -> None:
    """Render a chunk, counting each certificate on the job as it is done (or failed)."""
    certificates = Certificate.objects.select_related("rating__unit", "rating__cycle").filter(
        pk__in=certificate_ids
    )
    for certificate in certificates:
        if certificate.pdf:
            column = "done"  # a redelivered task: already rendered
        else:
            try:
                render_one(certificate)
                column = "done"
            except Exception as error:  # noqa: BLE001 - recorded for the bureau, job goes on
                CertificateJob.objects.filter(pk=job_id).update(
                    last_error=f"{certificate.number}: {error}"
                )
                column = "failed"
        CertificateJob.objects.filter(pk=job_id).update(**{column: F(column) + 1})
    CertificateJob.objects.filter(
        Q(pk=job_id), Q(finished_at__isnull=True), Q(total__lte=F("done") + F("failed"))
    ).update(finished_at=timezone.now())


def ensure_pdf(certificate: Certificate) -> bytes:
    """The certificate's sealed PDF, rendering it now if the batch has not reached it yet."""
    if not certificate.pdf:
        render_one(certificate)
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def ensure_bulletin(publication: Publication) -> bytes:
    from ..documents import bulletin_pdf

    if not publication.bulletin_pdf:
        pdf = bulletin_pdf(publication)
        publication.bulletin_pdf.save(
            f"bulletin-{publication.cycle.year}-{publication.document_number}.pdf",
            ContentFile(pdf),
            save=False,
        )
        Publication.objects.filter(pk=publication.pk).update(
            bulletin_pdf=publication.bulletin_pdf.name
        )
    with publication.bulletin_pdf.open("rb") as handle:
        return handle.read()
