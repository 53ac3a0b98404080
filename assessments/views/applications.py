"""The application page (everyone allowed to read it), enterprise transitions, documents."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Role
from portal.pdf import pdf_response, qr_data_uri, render_pdf
from portal.refusals import Refused
from portal.seal_image import bureau_seal

from .. import receipts
from ..forms import HandlerForm, ReturnForm, TransitionForm
from ..models import Application, Cycle, Evidence, SelfScore
from ..next_steps import describe
from ..selectors import evidence_for, get_application_for
from ..services import self_assessment
from ..services.acceptance import RETURN_REASON_LABELS
from .access import allowed


@allowed
def application_mine(request):
    """The unit's application in the current cycle, started on first visit after the pledge."""
    cycle = Cycle.objects.current()
    if cycle is None:
        return render(request, "assessments/no_cycle.html")
    try:
        application = self_assessment.start_application(cycle=cycle, unit=request.user.unit)
    except ValidationError as error:
        messages.info(request, error.messages[0])
        return redirect("assessments:pledge_sign")
    if application.is_editable_by_enterprise:
        return redirect("assessments:self_assessment", pk=application.pk)
    return redirect("assessments:application_detail", pk=application.pk)


def timeline_of(application: Application) -> list[dict]:
    rows = []
    for entry in application.transitions.select_related("actor"):
        rows.append(
            {
                "entry": entry,
                "reasons": [
                    str(RETURN_REASON_LABELS.get(code, code)) for code in entry.reason_codes
                ],
            }
        )
    return rows


@allowed
def application_detail(request, pk):
    application = get_application_for(request.user, pk)
    scores = SelfScore.objects.filter(application=application).select_related("item")
    by_item = {score.item_id: score for score in scores}
    evidence_by_item: dict = {}
    for evidence in evidence_for(request.user, application):
        evidence_by_item.setdefault(evidence.item_id, []).append(evidence)
    rows = [
        {"item": item, "score": by_item.get(item.pk), "evidence": evidence_by_item.get(item.pk, [])}
        for item in application.cycle.standard.items()
    ]
    last_return = (
        application.transitions.filter(name="return_for_correction").order_by("-created_at").first()
    )
    user = request.user
    context = {
        "application": application,
        "rows": rows,
        "loose_evidence": evidence_by_item.get(None, []),
        "vetoes": application.declared_vetoes.all(),
        "timeline": timeline_of(application),
        "step": describe(application),
        "last_return": last_return,
        "last_return_reasons": [
            str(RETURN_REASON_LABELS.get(code, code)) for code in last_return.reason_codes
        ]
        if last_return
        else [],
        "is_owner": user.role == Role.ENTERPRISE,
        "transitions": application.transitions_for(user),
        "transition_form": TransitionForm(initial={"expected_status": application.status}),
    }
    # A re-rating request is accepted or refused on its own page (ratings:rerating_detail).
    if not application.is_rerating and {"accept", "return_for_correction"} & context["transitions"]:
        context["handler_form"] = HandlerForm(initial={"expected_handler": application.handler_id})
        context["return_form"] = ReturnForm(initial={"expected_status": application.status})
    if context["is_owner"] and application.is_editable_by_enterprise:
        context["missing"] = self_assessment.missing_labels(application)
    return render(request, "assessments/application_detail.html", context)


def _transition(request, pk, action) -> Application | None:
    """Run ``action``; return the application it moved, or None after telling the user why not
    (one error message, so the caller adds its success message only on a real transition)."""
    application = get_application_for(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新页面后重试。"))
        return None
    try:
        action(
            application=application,
            actor=request.user,
            expected_status=form.cleaned_data["expected_status"],
        )
    except Refused as error:
        messages.error(request, str(error))
        return None
    return application


@allowed
@require_POST
def application_submit(request, pk):
    if _transition(request, pk, self_assessment.submit) is not None:
        messages.success(
            request, _("评估申请已提交，请等待市安全生产监管局受理。您可以下载《评估申请表》。")
        )
        return redirect("assessments:application_detail", pk=pk)
    application = get_application_for(request.user, pk)
    if application.is_editable_by_enterprise:
        return redirect("assessments:self_assessment", pk=pk)
    return redirect("assessments:application_detail", pk=pk)


@allowed
@require_POST
def application_withdraw(request, pk):
    if _transition(request, pk, self_assessment.withdraw) is not None:
        messages.success(request, _("已撤回，申请回到填报中，修改后可再次提交。"))
    return redirect("assessments:application_detail", pk=pk)


def application_form_context(application: Application) -> dict:
    categories = application.cycle.standard.categories.prefetch_related("items")
    scores = {score.item_id: score for score in SelfScore.objects.filter(application=application)}
    evidence_counts: dict = {}
    for evidence in Evidence.objects.filter(application=application).only("item_id"):
        evidence_counts[evidence.item_id] = evidence_counts.get(evidence.item_id, 0) + 1
    sections = [
        {
            "category": category,
            "rows": [
                {
                    "item": item,
                    "score": scores.get(item.pk),
                    "evidence_count": evidence_counts.get(item.pk, 0),
                }
                for item in category.items.all()
            ],
        }
        for category in categories
    ]
    return {
        "application": application,
        "sections": sections,
        "vetoes": application.cycle.standard.vetoes.all(),
        "declared": set(application.declared_vetoes.values_list("pk", flat=True)),
    }


@allowed
def application_form_pdf(request, pk):
    application = get_application_for(request.user, pk)
    if not application.has_application_form:
        messages.info(request, _("《评估申请表》在提交后生成。"))
        return redirect("assessments:application_detail", pk=pk)
    pdf = render_pdf(
        "pdf/application_form.html", application_form_context(application), request=request
    )
    return pdf_response(pdf, f"评估申请表-{application.unit.name}-{application.cycle.year}.pdf")


@allowed
def receipt_pdf(request, pk):
    application = get_application_for(request.user, pk)
    if not application.receipt_number:
        messages.info(request, _("申请受理后才有《受理回执单》。"))
        return redirect("assessments:application_detail", pk=pk)
    check_url = receipts.check_url(application)
    context = {
        "application": application,
        "check_url": check_url,
        "qr": qr_data_uri(check_url),
        "seal": bureau_seal("受理专用章"),
    }
    pdf = render_pdf("pdf/receipt.html", context, request=request)
    return pdf_response(pdf, f"受理回执单-{application.receipt_number}.pdf")
