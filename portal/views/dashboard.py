from django.shortcuts import render

from portal.access import signed_in
from portal.dashboard import sections_for


@signed_in
def dashboard(request):
    return render(request, "portal/dashboard.html", {"sections": sections_for(request.user)})
