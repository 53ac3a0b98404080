"""Public pages: proposed grades during publicity, the comment form and its tracking page,
published results with revocations, certificate verification and the seal certificate.

Nothing here ever renders a commenter's contact name or phone.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from assessments.models import Cycle
from portal.pdf import pdf_response
from portal.refusals import Refused

from .. import seal
from ..certificate_check import check_certificate_pdf
from ..forms import CertificateUploadForm, CommentForm, TrackForm
from ..models import Publication
from ..selectors import (
    certificate_by_code,
    get_public_item_any_window,
    is_well_formed_code,
    open_public_items,
    public_ratings,
)
from ..services import certificates, publicity
from .access import allowed
from .sealed import needs_seal

COMMENT_RATE = "5/h"
TRACK_RATE = "30/h"
UPLOAD_RATE = "30/h"
UPLOAD_RATE = "30/h"
SESSION_CODE = "ratings_tracking_code"


@allowed
def publicity_list(request):
    items = list(open_public_items())
    batches = {}
    for item in items:
        batches.setdefault(item.batch, []).append(item)
    return render(request, "ratings/public/publicity.html", {"batches": batches})


@allowed
@ratelimit(key="ip", rate=COMMENT_RATE, method="POST", block=False)
def comment(request, pk):
    item = get_public_item_any_window(pk)
    is_open = item.batch.is_open and item.application.is_in_publicity
    context = {"item": item, "unit": item.application.unit, "is_open": is_open}
    if request.method != "POST":
        context["form"] = CommentForm() if is_open else None
        return render(request, "ratings/public/comment.html", context)
    if getattr(request, "limited", False):
        context["refusal"] = _("提交过于频繁，请一小时后再试。")
        return render(request, "ratings/public/comment.html", context, status=429)
    if not is_open:
        context["refusal"] = _("该单位的意见征询期不在进行中，不能提交意见。")
        return render(request, "ratings/public/comment.html", context, status=403)
    form = CommentForm(request.POST)
    if form.is_bot:
        context["refusal"] = _("提交未被接受。")
        return render(request, "ratings/public/comment.html", context, status=400)
    if not form.is_valid():
        form.renew_challenge()
        context["form"] = form
        return render(request, "ratings/public/comment.html", context, status=400)
    try:
        _comment, code = publicity.submit_comment(
            item=item,
            content=form.cleaned_data["content"],
            contact_name=form.cleaned_data["contact_name"],
            contact_phone=form.cleaned_data["contact_phone"],
        )
    except Refused as error:
        context["refusal"] = str(error)
        return render(request, "ratings/public/comment.html", context, status=403)
    request.session[SESSION_CODE] = code
    return redirect("public_ratings:comment_received")


@allowed
def comment_received(request):
    # Shown once: the code leaves the session as it is displayed.
    code = request.session.pop(SESSION_CODE, None)
    return render(request, "ratings/public/comment_received.html", {"code": code})


@allowed
@ratelimit(key="ip", rate=TRACK_RATE, method="POST", block=False)
def track(request):
    form = TrackForm(request.POST or None)
    context = {"form": form}
    status = 200
    if request.method == "POST":
        if getattr(request, "limited", False):
            context["refusal"] = _("查询过于频繁，请稍后再试。")
            status = 429
        elif form.is_valid():
            found = publicity.find_by_tracking_code(form.cleaned_data["code"])
            context["found"] = found
            context["searched"] = True
            if found is None:
                status = 404
    return render(request, "ratings/public/track.html", context, status=status)


@allowed
def results(request):
    published = Cycle.objects.filter(ratings__isnull=False).distinct().order_by("-year")
    year = request.GET.get("year", "")
    cycle = published.filter(year=int(year)).first() if year.isdigit() else published.first()
    ratings = public_ratings(cycle) if cycle else []
    return render(
        request,
        "ratings/public/results.html",
        {
            "cycle": cycle,
            "cycles": published,
            "ratings": ratings,
            "publications": Publication.objects.filter(
                cycle=cycle, published_at__isnull=False
            ).order_by("publish_on")
            if cycle
            else [],
        },
    )


@allowed
@needs_seal
def bulletin(request, pk):
    item = Publication.objects.filter(pk=pk, published_at__isnull=False).select_related("cycle")
    item = item.first()
    if item is None:
        raise Http404
    pdf = certificates.ensure_bulletin(item)
    return pdf_response(
        pdf, f"关于公布{item.cycle.year}年度安全生产诚信单位评定结果的通报.pdf", inline=True
    )


@allowed
def verify_form(request):
    code = request.GET.get("code", "").strip().lower()
    if code and is_well_formed_code(code):
        return redirect("public_ratings:verify", code=code)
    if code:
        return render(request, "ratings/public/verify.html", {"malformed": True}, status=400)
    return render(request, "ratings/public/verify_form.html")


@allowed
def verify(request, code):
    if not is_well_formed_code(code):
        return render(request, "ratings/public/verify.html", {"malformed": True}, status=400)
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "ratings/public/verify.html", {"unknown": True}, status=404)
    return render(
        request,
        "ratings/public/verify.html",
        {
            "certificate": certificate,
            "rating": certificate.rating,
            "site_url": settings.SITE_URL,
        },
    )


@allowed
@needs_seal
@ratelimit(key="ip", rate=UPLOAD_RATE, method="POST", block=False)
def verify_upload(request):
    """A citizen uploads the certificate PDF they were handed: seal intact, and on record?"""
    form = CertificateUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method != "POST":
        return render(request, "ratings/public/verify_upload.html", context)
    if getattr(request, "limited", False):
        context["refusal"] = _("核验过于频繁，请稍后再试。")
        return render(request, "ratings/public/verify_upload.html", context, status=429)
    if not form.is_valid():
        return render(request, "ratings/public/verify_upload.html", context, status=400)
    result = check_certificate_pdf(form.cleaned_data["pdf"].read())
    expected = form.cleaned_data["code"].strip().lower()
    context["result"] = result
    if result.certificate is not None:
        context["other_certificate"] = bool(
            expected and expected != result.certificate.verification_code
        )
    status = 200 if result.certificate is not None else 400
    return render(request, "ratings/public/verify_upload.html", context, status=status)


@allowed
@needs_seal
def verify_pdf(request, code):
    certificate = certificate_by_code(code) if is_well_formed_code(code) else None
    if certificate is None:
        raise Http404
    pdf = certificates.ensure_pdf(certificate)
    return pdf_response(pdf, f"证书-{certificate.number}.pdf", inline=True)


@allowed
@needs_seal
def seal_certificate(request):
    response = HttpResponse(seal.certificate_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="xinzheng-ajj-seal.pem"'
    return response
