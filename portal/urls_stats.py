from django.urls import path

from portal.views.public import stats

app_name = "stats"

urlpatterns = [
    path("", stats.public_stats, name="public"),
    path("bureau/", stats.bureau_stats, name="bureau"),
]
