"""好差评 pages, mounted at /feedback/ (the address enterprises were given) under the
``feedback`` namespace, as the evaluation pages are mounted at /evaluation/."""

from django.urls import path

from assessments.views import service_ratings

app_name = "feedback"

urlpatterns = [
    path("", service_ratings.mine, name="mine"),
    path("<int:pk>/rate/", service_ratings.rate_view, name="rate"),
    path("tickets/", service_ratings.ticket_list, name="tickets"),
    path("tickets/<int:pk>/answer/", service_ratings.ticket_answer, name="ticket_answer"),
]
