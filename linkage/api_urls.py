from django.urls import path

from .views import api

app_name = "units_api"

urlpatterns = [
    path("<str:credit_code>/rating", api.unit_rating, name="unit_rating"),
]
