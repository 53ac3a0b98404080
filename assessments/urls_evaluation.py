from django.urls import path

from assessments.views import evaluation, experts, grading

app_name = "evaluation"

urlpatterns = [
    path("", evaluation.board, name="board"),
    path("experts/", experts.roster, name="experts"),
    path("experts/new/", experts.expert_create, name="expert_create"),
    path("experts/<int:pk>/", experts.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert_edit"),
    path("conflicts/", experts.conflicts, name="conflicts"),
    path("applications/<int:pk>/assign/", evaluation.assign, name="assign"),
    path("applications/<int:pk>/report.pdf", evaluation.report, name="report"),
    path("mine/", evaluation.worklist, name="worklist"),
    path("assignments/<int:pk>/", evaluation.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/declare/", evaluation.declare, name="declare"),
    path("review/", grading.review_list, name="review_list"),
    path("review/grade/", grading.review_batch, name="review_batch"),
    path("review/<int:pk>/", grading.review, name="review"),
]
