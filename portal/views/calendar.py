"""The bureau's working-day overrides (portal.working_days): a holiday or adjusted working day
of a State Council notice entered before the calendar package knows it."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import roles
from portal.forms import CalendarOverrideForm
from portal.models import CalendarOverride, Role
from portal.working_days import add_working_days, is_working_day


@roles(Role.BUREAU)
def calendar_list(request):
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                CalendarOverride.objects.create(
                    day=data["day"],
                    is_working_day=data["is_working_day"],
                    note=data["note"],
                    created_by=request.user,
                )
        except IntegrityError:
            form.add_error("day", _("该日期已有调整记录，请先删除原记录。"))
        else:
            messages.success(request, _("已保存 %(day)s 的工作日调整。") % {"day": data["day"]})
            return redirect("portal:calendar_list")
    today = timezone.localdate()
    return render(
        request,
        "portal/calendar.html",
        {
            "form": form,
            "overrides": CalendarOverride.objects.select_related("created_by"),
            "today": today,
            "today_working": is_working_day(today),
            "in_ten": add_working_days(today, 10),
        },
    )


@roles(Role.BUREAU)
@require_POST
def calendar_delete(request, pk):
    # Overrides belong to no one in particular: any bureau officer may correct one.
    override = get_object_or_404(CalendarOverride, pk=pk)
    override.delete()
    messages.success(request, _("已删除 %(day)s 的工作日调整。") % {"day": override.day})
    return redirect("portal:calendar_list")
