from django.shortcuts import render

from portal.access import public


@public
def home(request):
    return render(request, "portal/home.html")


@public
def about(request):
    return render(request, "portal/about.html")
