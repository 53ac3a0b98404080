from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.pdf import pdf_response, render_pdf

from ..forms import PledgeForm
from ..models import Cycle, Pledge
from ..selectors import get_pledge_for, pledges_for
from ..services.pledges import sign_pledge
from .access import allowed


@allowed
def pledge_sign(request):
    """This year's pledge: the form to sign, or the signed pledge."""
    cycle = Cycle.objects.current()
    if cycle is None:
        return render(request, "assessments/no_cycle.html")
    unit = request.user.unit
    existing = Pledge.objects.filter(cycle=cycle, unit=unit).first()
    if existing is not None:
        return redirect("assessments:pledge_detail", pk=existing.pk)
    if not unit.is_approved:
        messages.error(request, _("本单位注册尚未通过审核，审核通过后才能签署承诺书。"))
        return redirect("units:mine")
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pledge = sign_pledge(
                cycle=cycle,
                unit=unit,
                actor=request.user,
                signatory=data["signatory"],
                signatory_title=data["signatory_title"],
            )
        except ValidationError as error:
            messages.info(request, error.messages[0])
            return redirect("assessments:pledge_sign")
        messages.success(
            request,
            _("承诺书已签署并报送乡镇（街道）、行业主管部门和市安全生产监管局。"),
        )
        return redirect("assessments:pledge_detail", pk=pledge.pk)
    return render(request, "assessments/pledge_sign.html", {"form": form, "cycle": cycle})


@allowed
def pledge_detail(request, pk):
    pledge = get_pledge_for(request.user, pk)
    return render(request, "assessments/pledge_detail.html", {"pledge": pledge})


@allowed
def pledge_pdf(request, pk):
    pledge = get_pledge_for(request.user, pk)
    pdf = render_pdf("pdf/pledge.html", {"pledge": pledge}, request=request)
    return pdf_response(pdf, f"承诺书-{pledge.unit.name}-{pledge.cycle.year}.pdf")


@allowed
def pledge_list(request):
    cycle = Cycle.objects.current()
    pledges = pledges_for(request.user).order_by("-submitted_at")
    if cycle is not None:
        pledges = pledges.filter(cycle=cycle)
    page = Paginator(pledges, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/pledge_list.html", {"page": page, "cycle": cycle})
