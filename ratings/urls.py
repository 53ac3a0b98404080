from django.urls import path

from .views import confirmation, publication, publicity, repair, replies, rerating

app_name = "ratings"

urlpatterns = [
    path("publicity/", publicity.batch_list, name="batch_list"),
    path("publicity/new/", publicity.batch_create, name="batch_create"),
    path("publicity/<int:pk>/", publicity.batch_detail, name="batch_detail"),
    path("publicity/<int:pk>/submit/", publicity.batch_submit, name="batch_submit"),
    path("publicity/mine/", publicity.my_items, name="my_items"),
    path("items/<int:pk>/", publicity.item_detail, name="item_detail"),
    path("items/<int:pk>/grade/", publicity.item_grade, name="item_grade"),
    path("items/<int:pk>/objection/", publicity.item_object, name="item_object"),
    path("comments/<int:pk>/answer/", publicity.comment_answer, name="comment_answer"),
    path("comments/<int:pk>/reply/", publicity.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/evidence/", publicity.objection_evidence, name="objection_evidence"),
    path("submissions/", confirmation.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", confirmation.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/decide/", confirmation.submission_decide, name="submission_decide"),
    path(
        "applications/<int:pk>/review/",
        confirmation.application_review,
        name="application_review",
    ),
    path("applications/<int:pk>/regrade/", confirmation.regrade, name="regrade"),
    path("publications/", publication.publication_list, name="publication_list"),
    path("publications/<int:pk>/", publication.publication_detail, name="publication_detail"),
    path(
        "publications/<int:pk>/publish/",
        publication.publication_publish,
        name="publication_publish",
    ),
    path(
        "publications/<int:pk>/certificates/",
        publication.certificates_start,
        name="certificates_start",
    ),
    path("publications/<int:pk>/bulletin/", publication.bulletin_pdf, name="bulletin_pdf"),
    path("jobs/<int:pk>/progress/", publication.job_progress, name="job_progress"),
    path("results/<int:pk>/", publication.rating_detail, name="rating_detail"),
    path("results/<int:pk>/revoke/", publication.rating_revoke, name="rating_revoke"),
    path("results/<int:pk>/reply/", replies.reply_submit, name="reply_submit"),
    path("replies/", replies.reply_list, name="reply_list"),
    path("replies/<int:pk>/", replies.reply_decide, name="reply_decide"),
    path("replies/<int:pk>/withdraw/", replies.reply_withdraw, name="reply_withdraw"),
    path("certificates/<int:pk>/pdf/", publication.certificate_pdf, name="certificate_pdf"),
    path("results/<int:pk>/rerating/", rerating.rerating_request, name="rerating_request"),
    path("reratings/", rerating.rerating_list, name="rerating_list"),
    path("reratings/<int:pk>/", rerating.rerating_detail, name="rerating_detail"),
    path("reratings/<int:pk>/decide/", rerating.rerating_decide, name="rerating_decide"),
    path("reratings/<int:pk>/publicity/", rerating.rerating_publicity, name="rerating_publicity"),
    path("reratings/<int:pk>/publish/", rerating.rerating_publish, name="rerating_publish"),
    # key-monitoring list and credit repair
    path("repair/", repair.repair_mine, name="repair_mine"),
    path("repair/listings/<int:pk>/apply/", repair.repair_apply, name="repair_apply"),
    path("repair/requests/", repair.repair_list, name="repair_list"),
    path("repair/requests/<int:pk>/", repair.repair_detail, name="repair_detail"),
    path("repair/requests/<int:pk>/decide/", repair.repair_decide, name="repair_decide"),
    path("repair/requests/<int:pk>/evidence/", repair.repair_evidence, name="repair_evidence"),
    path("repair/periods/", repair.display_periods, name="display_periods"),
    path("repair/periods/<int:pk>/", repair.display_period_edit, name="display_period_edit"),
]
