from django.urls import path

from public.views import stats

app_name = "stats"

urlpatterns = [
    path("", stats.public_stats, name="public"),
    path("bureau/", stats.bureau_stats, name="bureau"),
]
