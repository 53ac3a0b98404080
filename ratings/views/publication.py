"""Publication, certificates (with job progress), the bulletin and revocation: bureau pages."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import Application, Cycle, Status
from portal.models import Role
from portal.pdf import pdf_response
from portal.refusals import Refused

from ..forms import PublicationForm, RatingReplyForm, RevokeForm
from ..models import CertificateJob, Publication
from ..selectors import (
    get_certificate_for,
    get_publication_for,
    get_rating_for,
    publications_for,
    replies_for,
)
from ..services import certificates, publication, replies, rerating
from .access import allowed
from .sealed import needs_seal


def _unscheduled_confirmed(cycle):
    return (
        Application.objects.filter(cycle=cycle, status=Status.CONFIRMED)
        .exclude(publications__in=Publication.objects.filter(published_at__isnull=True))
        .select_related("unit")
        .order_by("-star", "unit__name")
    )


def _cycle_to_publish():
    """The current cycle, or the latest one that still has confirmed results to publish."""
    current = Cycle.objects.current()
    pending = Cycle.objects.filter(applications__status=Status.CONFIRMED).distinct()
    if current is None or not pending.filter(pk=current.pk).exists():
        return pending.order_by("-year").first() or current
    return current


@allowed
def publication_list(request):
    cycle = _cycle_to_publish()
    confirmed = _unscheduled_confirmed(cycle)
    form = PublicationForm(
        request.POST or None, applications=confirmed, initial={"applications": confirmed}
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = publication.create_publication(
                cycle=cycle,
                applications=list(form.cleaned_data["applications"]),
                publish_on=form.cleaned_data["publish_on"],
                document_number=form.cleaned_data["document_number"],
                actor=request.user,
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            if created.is_published:
                messages.success(request, _("结果已公布。"))
            else:
                messages.success(request, _("已安排于 %(d)s 公布。") % {"d": created.publish_on})
            return redirect("ratings:publication_detail", pk=created.pk)
    return render(
        request,
        "ratings/publication_list.html",
        {"publications": publications_for(request.user), "form": form, "cycle": cycle},
    )


@allowed
def publication_detail(request, pk):
    item = get_publication_for(request.user, pk)
    ratings = item.ratings.select_related("unit", "certificate").order_by("-star", "unit__name")
    job = item.certificate_jobs.order_by("-created_at").first()
    return render(
        request,
        "ratings/publication_detail.html",
        {
            "publication": item,
            "ratings": ratings,
            "applications": item.applications.select_related("unit").order_by("unit__name"),
            "job": job,
        },
    )


@allowed
@require_POST
def publication_publish(request, pk):
    item = get_publication_for(request.user, pk)
    try:
        publication.publish(item)
        messages.success(request, _("结果已公布。"))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("ratings:publication_detail", pk=item.pk)


@allowed
@require_POST
@transaction.non_atomic_requests  # start_job's transaction queues the job when it commits,
def certificates_start(request, pk):  # so the message below can say whether the queue took it
    item = get_publication_for(request.user, pk)
    try:
        job = certificates.start_job(publication=item, actor=request.user)
    except Refused as error:
        messages.error(request, str(error))
    else:
        if job.is_finished or job.queued_at:
            messages.success(request, _("已开始生成 %(n)d 份证书。") % {"n": job.total})
        else:
            messages.warning(
                request,
                _(
                    "已登记生成 %(n)d 份证书，但后台任务队列暂时不可用；"
                    "队列恢复后将自动开始生成，无需重复操作。"
                )
                % {"n": job.total},
            )
    return redirect("ratings:publication_detail", pk=item.pk)


@allowed
def job_progress(request, pk):
    job = (
        CertificateJob.objects.filter(pk=pk, publication__in=publications_for(request.user))
        .values("total", "done", "failed", "finished_at", "last_error")
        .first()
    )
    if job is None:
        return JsonResponse({"error": "not found"}, status=404)
    job["finished"] = job.pop("finished_at") is not None
    return JsonResponse(job)


@allowed
@needs_seal
def bulletin_pdf(request, pk):
    item = get_publication_for(request.user, pk)
    if not item.is_published:
        messages.error(request, _("结果公布后才能生成通报。"))
        return redirect("ratings:publication_detail", pk=item.pk)
    pdf = certificates.ensure_bulletin(item)
    return pdf_response(pdf, f"关于公布{item.cycle.year}年度安全生产诚信单位评定结果的通报.pdf")


@allowed
def rating_detail(request, pk):
    rating = get_rating_for(request.user, pk)
    return render(request, "ratings/rating_detail.html", rating_detail_context(request, rating))


def rating_detail_context(request, rating, reply_form=None) -> dict:
    """The result, its certificate, revocation (bureau), re-rating and the enterprise's
    replies."""
    rerated = getattr(rating, "rerating", None)
    reply_history = list(replies_for(request.user).filter(rating=rating))
    can_reply = (
        request.user.role == Role.ENTERPRISE
        and replies.can_reply_to(rating)
        and not any(reply.is_open for reply in reply_history)
    )
    return {
        "rating": rating,
        "certificate": getattr(rating, "certificate", None),
        "form": RevokeForm() if request.user.is_bureau and not rating.is_revoked else None,
        # The enterprise's re-rating button says why and when before it is available.
        "availability": (
            rerating.availability(rating) if request.user.role == Role.ENTERPRISE else None
        ),
        "wait_months": settings.RERATING_WAIT_MONTHS,
        "rerating": rerated,
        "replaced_by": getattr(rerated.application, "rating", None) if rerated else None,
        "replies": reply_history,
        "reply_form": (reply_form or RatingReplyForm()) if can_reply else None,
    }


@allowed
@require_POST
def rating_revoke(request, pk):
    rating = get_rating_for(request.user, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("撤销理由：必须填写，理由将向社会公开。"))
    else:
        try:
            publication.revoke(
                rating=rating, reason=form.cleaned_data["reason"], actor=request.user
            )
            messages.success(request, _("评级结果已撤销，证书同步显示为已撤销。"))
        except Refused as error:
            messages.error(request, str(error))
    return redirect("ratings:rating_detail", pk=rating.pk)


@allowed
@needs_seal
def certificate_pdf(request, pk):
    certificate = get_certificate_for(request.user, pk)
    pdf = certificates.ensure_pdf(certificate)
    return pdf_response(pdf, f"安全生产诚信单位证书-{certificate.rating.unit.name}.pdf")
