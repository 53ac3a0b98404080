from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/rate/", views.rate_view, name="rate"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<int:pk>/answer/", views.ticket_answer, name="ticket_answer"),
]
