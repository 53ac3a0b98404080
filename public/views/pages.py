from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from portal.access import public


@public
def home(request):
    return render(request, "portal/home.html")


@public
def about(request):
    return render(request, "portal/about.html")


@public
@require_safe
def guide(request):
    return render(request, "portal/guide.html")


@public
@require_safe
def favicon(request):
    # Browsers and crawlers ask for /favicon.ico whatever the page says.
    return redirect(static("img/favicon.ico"), permanent=True)
