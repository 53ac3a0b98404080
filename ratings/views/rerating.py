"""Re-rating after rectification: the enterprise asks, the bureau decides and takes it on."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.selectors import evidence_for
from portal.punctuation import punct
from portal.refusals import Refused

from ..forms import (
    ReratingDecisionForm,
    ReratingPublicationForm,
    ReratingPublicityForm,
    ReratingRequestForm,
)
from ..selectors import get_rating_for, get_rerating_for, reratings_for
from ..services import rerating
from .access import allowed


def _refused_form(request, form, item):
    """A bureau form posted from the detail page: each error named by its field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}{punct('：')}{' '.join(errors)}")
    return redirect("ratings:rerating_detail", pk=item.pk)


@allowed
def rerating_request(request, pk):
    """The form, or why it is not available yet (the rating page says the same)."""
    rating = get_rating_for(request.user, pk)
    availability = rerating.availability(rating)
    if availability.existing is not None:
        return redirect("ratings:rerating_detail", pk=availability.existing.pk)
    form = ReratingRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and availability.allowed and form.is_valid():
        try:
            created = rerating.request(
                rating=rating,
                actor=request.user,
                statement=form.cleaned_data["statement"],
                files=form.cleaned_data["files"],
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("重新评级申请已提交，请等待市安全生产监管局受理。"))
            return redirect("ratings:rerating_detail", pk=created.pk)
    elif request.method == "POST" and not availability.allowed:
        messages.error(request, availability.reason)
    return render(
        request,
        "ratings/rerating_request.html",
        {"rating": rating, "availability": availability, "form": form},
    )


@allowed
def rerating_list(request):
    return render(
        request,
        "ratings/rerating_list.html",
        {"reratings": reratings_for(request.user).order_by("-created_at")[:200]},
    )


@allowed
def rerating_detail(request, pk):
    item = get_rerating_for(request.user, pk)
    application = item.application
    context = {
        "rerating": item,
        "application": application,
        "evidence": evidence_for(request.user, application),
        "decision": item.decision(),
        "publicity_item": application.publicity_items.select_related("batch").last(),
        "new_rating": getattr(application, "rating", None) if application.is_published else None,
    }
    if request.user.is_bureau:
        context["decision_form"] = ReratingDecisionForm() if application.awaits_acceptance else None
        context["publicity_form"] = ReratingPublicityForm() if application.is_graded else None
        context["publication_form"] = (
            ReratingPublicationForm() if application.is_confirmed else None
        )
    return render(request, "ratings/rerating_detail.html", context)


@allowed
@require_POST
def rerating_decide(request, pk):
    item = get_rerating_for(request.user, pk)
    form = ReratingDecisionForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, form, item)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        rerating.decide(
            rerating=item,
            actor=request.user,
            accept=accept,
            reason=form.cleaned_data["reason"],
            expected_status=request.POST.get("expected_status") or None,
        )
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("已受理，请指派专家评估。") if accept else _("已决定不予受理，理由已告知申请单位。"),
        )
    return redirect("ratings:rerating_detail", pk=item.pk)


@allowed
@require_POST
def rerating_publicity(request, pk):
    item = get_rerating_for(request.user, pk)
    form = ReratingPublicityForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, form, item)
    try:
        batch = rerating.open_publicity(
            rerating=item,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            actor=request.user,
        )
    except Refused as error:
        messages.error(request, str(error))
        return redirect("ratings:rerating_detail", pk=item.pk)
    messages.success(request, _("公示已开启。"))
    return redirect("ratings:batch_detail", pk=batch.pk)


@allowed
@require_POST
def rerating_publish(request, pk):
    item = get_rerating_for(request.user, pk)
    form = ReratingPublicationForm(request.POST)
    if not form.is_valid():
        return _refused_form(request, form, item)
    try:
        created = rerating.publish(
            rerating=item,
            publish_on=form.cleaned_data["publish_on"],
            document_number=form.cleaned_data["document_number"],
            actor=request.user,
        )
    except Refused as error:
        messages.error(request, str(error))
        return redirect("ratings:rerating_detail", pk=item.pk)
    if created.is_published:
        messages.success(request, _("重新评级结果已公布，原结果已被取代，联动部门将收到通知。"))
    else:
        messages.success(request, _("已安排于 %(d)s 公布。") % {"d": created.publish_on})
    return redirect("ratings:publication_detail", pk=created.pk)
