import logging

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from ..filters import UnitFilter
from ..forms import RegistrationForm, ReviewForm, UnitForm
from ..models import Unit
from ..selectors import get_unit_for, units_for
from .access import allowed

logger = logging.getLogger(__name__)


def _too_many_registrations(request) -> bool:
    """Each registration attempt costs an Argon2 hash and may create rows: a few an hour per
    client address. If Redis is down the count is skipped rather than refusing everybody."""
    try:
        return is_ratelimited(
            request,
            group="units.register",
            key="ip",
            rate=settings.REGISTRATION_RATE_PER_ADDRESS,
            method="POST",
            increment=True,
        )
    except Exception:  # noqa: BLE001
        logger.warning("registration rate not checked", exc_info=True)
        return False


@allowed
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:dashboard")
    if request.method == "POST" and _too_many_registrations(request):
        return render(request, "registration/too_many_attempts.html", status=429)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        return redirect("units:register_done")
    return render(request, "units/register.html", {"form": form})


@allowed
def register_done(request):
    return render(request, "units/register_done.html")


@allowed
def mine(request):
    return redirect("units:detail", pk=request.user.unit_id)


@allowed
def unit_list(request):
    units = UnitFilter(request.GET, queryset=units_for(request.user))
    page = Paginator(units.qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "units/list.html",
        {
            "filter": units,
            "page": page,
            "query": query.urlencode(),
            "can_manage": request.user.is_bureau,
        },
    )


@allowed
def unit_detail(request, pk):
    unit = get_unit_for(request.user, pk)
    return render(
        request,
        "units/detail.html",
        {"unit": unit, "review_form": ReviewForm() if request.user.is_bureau else None},
    )


@allowed
def unit_edit(request, pk):
    unit = get_unit_for(request.user, pk)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("单位信息已保存。"))
        return redirect("units:detail", pk=unit.pk)
    return render(request, "units/edit.html", {"form": form, "unit": unit})


@allowed
@require_POST
def unit_review(request, pk):
    unit = get_unit_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(request, "units/detail.html", {"unit": unit, "review_form": form}, status=400)
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if not locked.awaits_review:
            messages.info(request, _("该单位已审核，无需重复操作。"))
            return redirect("units:detail", pk=unit.pk)
        approve = form.cleaned_data["decision"] == "approve"
        locked.status = Unit.Status.APPROVED if approve else Unit.Status.REJECTED
        locked.review_note = form.cleaned_data["note"]
        locked.reviewed_by = request.user
        locked.reviewed_at = timezone.now()
        locked.save()
        from portal.notifications import notify

        notify(
            locked.users.all(),
            _("单位注册审核结果：%(result)s") % {"result": locked.get_status_display()},
            locked.review_note,
        )
    messages.success(request, _("已审核：%(result)s。") % {"result": locked.get_status_display()})
    return redirect("units:detail", pk=unit.pk)
