from django.urls import path

from .views import bureau, inbox, reports, supervision

app_name = "linkage"

urlpatterns = [
    # department
    path("inbox/", inbox.inbox_list, name="inbox"),
    path("inbox/acknowledge/", inbox.acknowledge, name="acknowledge"),
    path("notices/<int:pk>/", inbox.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/measure/", inbox.notice_measure, name="notice_measure"),
    # bureau: departments, channels, tokens
    path("departments/", bureau.departments, name="departments"),
    path("departments/<int:pk>/", bureau.department_detail, name="department_detail"),
    path("departments/<int:pk>/settings/", bureau.department_settings, name="department_settings"),
    path("departments/<int:pk>/webhook/", bureau.department_webhook, name="department_webhook"),
    path("departments/<int:pk>/tokens/", bureau.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", bureau.token_revoke, name="token_revoke"),
    path("deliveries/", bureau.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/", bureau.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:pk>/resend/", bureau.delivery_resend, name="delivery_resend"),
    path("policy/", bureau.policy_view, name="policy"),
    path("policy/edit/", bureau.policy_edit, name="policy_edit"),
    path("api-queries/", bureau.api_log, name="api_log"),
    path("reports/", reports.report, name="reports"),
    # classified supervision
    path("supervision/", supervision.supervision_list, name="supervision"),
    path("supervision/units/<int:pk>/", supervision.supervision_unit, name="supervision_unit"),
    path("supervision/units/<int:pk>/order/", supervision.order_issue, name="order_issue"),
    path("supervision/units/<int:pk>/lift/", supervision.lift, name="lift"),
    path("supervision/plan/", supervision.inspection_plan, name="inspection_plan"),
    path("inspections/<int:pk>/record/", supervision.inspection_record, name="inspection_record"),
    path("hazards/<int:pk>/rectified/", supervision.hazard_rectified, name="hazard_rectified"),
    path("orders/<int:pk>/outcome/", supervision.order_outcome, name="order_outcome"),
]
