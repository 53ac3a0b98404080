"""好差评 pages: the enterprise rates its finished services; the bureau answers poor ratings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import roles
from portal.models import Role
from portal.refusals import Refused

from .forms import AnswerForm, RateForm
from .selectors import get_rating_for_enterprise, get_ticket, ratings_of_unit, tickets
from .services import answer_ticket, rate


@roles(Role.ENTERPRISE)
def mine(request, form=None, form_for=None, status=200):
    return render(
        request,
        "feedback/mine.html",
        {"ratings": ratings_of_unit(request.user), "form": form, "form_for": form_for},
        status=status,
    )


@roles(Role.ENTERPRISE)
@require_POST
def rate_view(request, pk):
    rating = get_rating_for_enterprise(request.user, pk)
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


@roles(Role.BUREAU)
def ticket_list(request, form=None, form_for=None, status=200):
    return render(
        request,
        "feedback/tickets.html",
        {
            "tickets": tickets(),
            "today": timezone.localdate(),
            "form": form,
            "form_for": form_for,
        },
        status=status,
    )


@roles(Role.BUREAU)
@require_POST
def ticket_answer(request, pk):
    ticket = get_ticket(pk)
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
