from django.urls import path

from . import views

app_name = "interchange"
urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/<uuid:token>/", views.import_preview, name="import_preview"),
    path("import/<uuid:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<uuid:token>/cancel/", views.import_cancel, name="import_cancel"),
    path("batches/<uuid:request_id>/", views.batch_detail, name="batch_detail"),
    path("template.xlsx", views.template_download, name="template"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<str:filename>", views.open_data_file, name="open_data_file"),
]
