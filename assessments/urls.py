from django.urls import path

from .views import (
    acceptance,
    applications,
    cycles,
    implementation,
    pledges,
    receipts,
    self_assessment,
    standards,
)

app_name = "assessments"

urlpatterns = [
    # Cycles and scoring standards (bureau)
    path("cycles/", cycles.cycle_list, name="cycle_list"),
    path("cycles/open/", cycles.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/edit/", cycles.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/advance/", cycles.cycle_advance, name="cycle_advance"),
    path("standards/", standards.standard_list, name="standard_list"),
    path("standards/<int:pk>/", standards.standard_detail, name="standard_detail"),
    path("standards/<int:pk>/edit/", standards.standard_edit, name="standard_edit"),
    path("standards/<int:pk>/copy/", standards.standard_copy, name="standard_copy"),
    # Pledges
    path("pledge/", pledges.pledge_sign, name="pledge_sign"),
    path("pledges/", pledges.pledge_list, name="pledge_list"),
    path("pledges/<int:pk>/", pledges.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/pdf/", pledges.pledge_pdf, name="pledge_pdf"),
    # Implementation records
    path("implementation/", implementation.implementation_mine, name="implementation_mine"),
    path("implementation/units/", implementation.implementation_list, name="implementation_list"),
    path(
        "implementation/units/<int:unit_pk>/",
        implementation.implementation_unit,
        name="implementation_unit",
    ),
    # Applications
    path("application/", applications.application_mine, name="application_mine"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/self-assessment/",
        self_assessment.self_assessment_edit,
        name="self_assessment",
    ),
    path("applications/<int:pk>/submit/", applications.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="withdraw"),
    path(
        "applications/<int:pk>/evidence/<int:evidence_pk>/",
        self_assessment.evidence_download,
        name="evidence_download",
    ),
    path(
        "applications/<int:pk>/evidence/<int:evidence_pk>/delete/",
        self_assessment.evidence_delete,
        name="evidence_delete",
    ),
    path(
        "applications/<int:pk>/application-form.pdf",
        applications.application_form_pdf,
        name="application_form_pdf",
    ),
    path("applications/<int:pk>/receipt.pdf", applications.receipt_pdf, name="receipt_pdf"),
    path("receipts/check/<str:code>/", receipts.receipt_check, name="receipt_check"),
    # Acceptance (bureau)
    path("acceptance/", acceptance.queue, name="queue"),
    path("applications/<int:pk>/handler/", acceptance.handler, name="handler"),
    path("applications/<int:pk>/return/", acceptance.return_application, name="return"),
    path("applications/<int:pk>/accept/", acceptance.accept_application, name="accept"),
]
