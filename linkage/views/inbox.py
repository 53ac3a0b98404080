"""The department's inbox: read, acknowledge one or many, record the measure taken."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Role
from portal.redirects import next_url

from ..forms import MeasureForm, NoticeFilterForm
from ..selectors import get_notice_for, inbox_for
from ..services import inbox
from .access import allowed


@allowed
def inbox_list(request):
    form = NoticeFilterForm(request.GET or None)
    notices = form.filter(inbox_for(request.user))
    page = Paginator(notices, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "linkage/inbox.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "department": request.user.department,
        },
    )


@allowed
@require_POST
def acknowledge(request):
    ids = [
        int(value)
        for value in request.POST.getlist("notice")
        if value.isascii() and value.isdigit() and len(value) < 19
    ]
    if not ids:
        messages.error(request, _("请先勾选要签收的通报。"))
    else:
        count = inbox.acknowledge(user=request.user, notice_ids=ids)
        messages.success(request, _("已签收 %(n)d 条通报。") % {"n": count})
    return redirect(next_url(request, "linkage:inbox"))


@allowed
def notice_detail(request, pk):
    notice = get_notice_for(request.user, pk)
    is_own = request.user.role == Role.DEPARTMENT
    return render(
        request,
        "linkage/notice_detail.html",
        {
            "notice": notice,
            "measures": notice.measures_taken.select_related("recorded_by"),
            "form": MeasureForm(initial={"taken_on": timezone.localdate()}, notice=notice)
            if is_own
            else None,
            "is_own": is_own,
        },
    )


@allowed
@require_POST
def notice_measure(request, pk):
    notice = get_notice_for(request.user, pk)
    form = MeasureForm(request.POST, notice=notice)
    if not form.is_valid():
        return render(
            request,
            "linkage/notice_detail.html",
            {
                "notice": notice,
                "measures": notice.measures_taken.select_related("recorded_by"),
                "form": form,
                "is_own": True,
            },
            status=400,
        )
    inbox.record_measure(user=request.user, notice=notice, **form.cleaned_data)
    messages.success(request, _("已记录采取的措施。"))
    return redirect("linkage:notice_detail", pk=notice.pk)
