from django.urls import path

from .views import registry, transfer

app_name = "units"

urlpatterns = [
    path("register/", registry.register, name="register"),
    path("register/done/", registry.register_done, name="register_done"),
    path("mine/", registry.mine, name="mine"),
    path("", registry.unit_list, name="list"),
    path("<int:pk>/", registry.unit_detail, name="detail"),
    path("<int:pk>/edit/", registry.unit_edit, name="edit"),
    path("<int:pk>/review/", registry.unit_review, name="review"),
    path("export.csv", transfer.export_csv_view, name="export_csv"),
    path("export.xlsx", transfer.export_xlsx_view, name="export_xlsx"),
    path("import/", transfer.import_view, name="import"),
    path("import/template.xlsx", transfer.import_template, name="import_template"),
]
