from django.urls import path

from .views import public

app_name = "public_ratings"

urlpatterns = [
    path("publicity/", public.publicity_list, name="publicity"),
    path("publicity/<int:pk>/comment/", public.comment, name="comment"),
    path("publicity/comment/received/", public.comment_received, name="comment_received"),
    path("publicity/track/", public.track, name="track"),
    path("results/", public.results, name="results"),
    path("results/bulletins/<int:pk>/", public.bulletin, name="bulletin"),
    path("certificates/verify/", public.verify_form, name="verify_form"),
    path("certificates/verify/upload/", public.verify_upload, name="verify_upload"),
    path("certificates/verify/<str:code>/", public.verify, name="verify"),
    path("certificates/verify/<str:code>/pdf/", public.verify_pdf, name="verify_pdf"),
    path("certificates/seal.pem", public.seal_certificate, name="seal_certificate"),
]
