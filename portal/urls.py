from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from portal.access import public


def _moved(to: str):
    """A permanent redirect for an address that moved; the new address checks access."""
    return public(RedirectView.as_view(url=to, permanent=True, query_string=True))


# Each prefix says what it serves: /ratings/ is the ratings stage (publicity, confirmation,
# publication), /search/ the public rating search and unit pages.
urlpatterns = [
    path("", include("portal.urls_portal")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("units/", include("units.urls")),
    path("assessments/", include("assessments.urls")),
    path("evaluation/", include("assessments.urls_evaluation")),
    path("ratings/", include("ratings.urls")),
    path("linkage/", include("linkage.urls")),
    path("feedback/", include("assessments.urls_service_ratings")),
    path("api/v1/units/", include("linkage.api_urls")),
    path("search/", include("public.urls")),
    path("stats/", include("public.urls_stats")),
    path("", include("public.urls_api")),
    path("", include("ratings.urls_public")),
    # Addresses before the prefixes were renamed: the public search and unit pages were under
    # /ratings/ (bookmarked, printed, linked from other sites and open-data users), the
    # ratings stage under /determination/ (links in notifications and e-mails already sent).
    path("ratings/", _moved("/search/"), name="moved_search"),
    path(
        "ratings/units/<str:credit_code>/",
        _moved("/search/units/%(credit_code)s/"),
        name="moved_unit",
    ),
    path("determination/<path:rest>", _moved("/ratings/%(rest)s"), name="moved_determination"),
]

handler500 = "portal.views.errors.server_error"
