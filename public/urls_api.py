from django.urls import path

from public.api import docs, feeds, openapi, views

app_name = "api"

urlpatterns = [
    path("api/v1/ratings/", views.ratings, name="ratings"),
    path("api/v1/ratings.csv", views.ratings_csv, name="ratings_csv"),
    path("api/v1/openapi.json", openapi.openapi, name="openapi"),
    path("api/v1/docs/", docs.api_docs, name="docs"),
    path("feeds/ratings.atom", feeds.ratings_feed, name="feed"),
]
