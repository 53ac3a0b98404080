"""好差评 pages: the enterprise rates its finished services; the bureau answers poor ratings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.refusals import Refused

from ..forms import AnswerForm, RateForm
from ..selectors import (
    get_service_rating_for_enterprise,
    get_service_rating_ticket,
    service_rating_tickets,
    service_ratings_of_unit,
)
from ..services.service_ratings import answer_ticket, rate
from .access import allowed


@allowed
def mine(request, form=None, form_for=None, status=200):
    return render(
        request,
        "feedback/mine.html",
        {"ratings": service_ratings_of_unit(request.user), "form": form, "form_for": form_for},
        status=status,
    )


@allowed
@require_POST
def rate_view(request, pk):
    rating = get_service_rating_for_enterprise(request.user, pk)
    form = RateForm(request.POST)
    if form.is_valid():
        try:
            rate(
                rating=rating,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except Refused as error:
            messages.error(request, str(error))
            return mine(request, status=409)
        messages.success(request, _("感谢您的评价。"))
        return redirect("feedback:mine")
    return mine(request, form=form, form_for=rating.pk, status=400)


@allowed
def ticket_list(request, form=None, form_for=None, status=200):
    return render(
        request,
        "feedback/tickets.html",
        {
            "tickets": service_rating_tickets(),
            "today": timezone.localdate(),
            "form": form,
            "form_for": form_for,
        },
        status=status,
    )


@allowed
@require_POST
def ticket_answer(request, pk):
    ticket = get_service_rating_ticket(pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            answer_ticket(rating=ticket, answer=form.cleaned_data["answer"], actor=request.user)
        except Refused as error:
            messages.error(request, str(error))
            return ticket_list(request, status=409)
        messages.success(request, _("已答复，并告知企业。"))
        return redirect("feedback:tickets")
    return ticket_list(request, form=form, form_for=ticket.pk, status=400)
