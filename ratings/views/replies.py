"""The enterprise's reply beside its rating: it writes and withdraws, the bureau decides."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.refusals import Refused

from ..forms import RatingReplyForm, ReplyDecisionForm
from ..models import RatingReply
from ..selectors import get_rating_for, get_reply_for, replies_for
from ..services import replies
from .access import allowed
from .publication import rating_detail_context


@allowed
@require_POST
def reply_submit(request, pk):
    rating = get_rating_for(request.user, pk)
    form = RatingReplyForm(request.POST)
    if form.is_valid():
        try:
            reply = replies.submit(user=request.user, rating=rating, text=form.cleaned_data["text"])
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("回应已提交，市安全生产监管局将于 %(date)s 前审核。")
                % {"date": reply.decide_by.isoformat()},
            )
            return redirect("ratings:rating_detail", pk=rating.pk)
    context = rating_detail_context(request, rating, reply_form=form)
    return render(request, "ratings/rating_detail.html", context, status=400)


@allowed
@require_POST
def reply_withdraw(request, pk):
    reply = get_reply_for(request.user, pk)
    try:
        replies.withdraw(user=request.user, reply=reply)
        messages.success(request, _("回应已撤回，公开页面不再显示。"))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("ratings:rating_detail", pk=reply.rating_id)


@allowed
def reply_list(request):
    queryset = replies_for(request.user)
    return render(
        request,
        "ratings/reply_list.html",
        {
            "pending": queryset.pending().order_by("decide_by", "pk"),
            "decided": queryset.exclude(status=RatingReply.Status.SUBMITTED)[:50],
            "today": timezone.localdate(),
            "tab": "replies",
        },
    )


@allowed
def reply_decide(request, pk):
    reply = get_reply_for(request.user, pk)
    form = ReplyDecisionForm(request.POST or None, initial={"shortened_text": reply.text})
    if request.method == "POST" and form.is_valid():
        try:
            replies.decide(actor=request.user, reply=reply, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except Refused as error:
            messages.error(request, str(error))
            return redirect("ratings:reply_decide", pk=reply.pk)
        else:
            messages.success(request, _("已审核：%(status)s。") % {"status": _status(reply)})
            return redirect("ratings:reply_list")
    return render(
        request,
        "ratings/reply_decide.html",
        {"reply": reply, "form": form, "today": timezone.localdate(), "tab": "replies"},
        status=400 if form.is_bound else 200,
    )


def _status(reply: RatingReply) -> str:
    reply.refresh_from_db(fields=["status", "shortened"])
    if reply.shortened:
        return _("删节后公开")
    return str(reply.get_status_display())
