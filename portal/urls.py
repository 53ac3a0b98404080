from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("portal.urls_portal")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("units/", include("units.urls")),
    path("assessments/", include("assessments.urls")),
    path("evaluation/", include("assessments.urls_evaluation")),
    path("determination/", include("ratings.urls")),
    path("linkage/", include("linkage.urls")),
    path("feedback/", include("feedback.urls")),
    path("api/v1/units/", include("linkage.api_urls")),
    path("ratings/", include("public.urls")),
    path("stats/", include("public.urls_stats")),
    path("", include("public.urls_api")),
    path("", include("ratings.urls_public")),
]

handler500 = "portal.views.errors.server_error"
