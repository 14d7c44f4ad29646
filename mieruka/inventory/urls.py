from django.urls import path

from . import views

app_name = "inventory"
urlpatterns = [
    path("systems/", views.system_list, name="system_list"),
    path("systems/export.csv", views.system_export, name="system_export"),
    path("systems/export/", views.system_export_start, name="system_export_start"),
    path("systems/new/", views.system_create, name="system_create"),
    path("systems/proposals/", views.proposal_list, name="proposal_list"),
    path("systems/<str:system_id>/", views.system_detail, name="system_detail"),
    path("systems/<str:system_id>/edit/", views.system_edit, name="system_edit"),
    path("systems/<str:system_id>/delete/", views.system_delete, name="system_delete"),
    path("systems/<str:system_id>/rename/", views.system_rename, name="system_rename"),
    path("systems/<str:system_id>/retire/", views.system_retire, name="system_retire"),
    path("systems/<str:system_id>/propose/", views.system_propose, name="system_propose"),
    path("systems/<str:system_id>/budget/", views.system_budget, name="system_budget"),
    path("systems/<str:system_id>/interfaces/", views.system_interfaces, name="system_interfaces"),
    path("systems/<str:system_id>/as-of/", views.system_as_of, name="system_as_of"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/export/", views.project_export, name="project_export"),
    path("views/<str:list_name>/", views.saved_view_save, name="saved_view_save"),
    path("views/<str:list_name>/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<str:project_id>/", views.project_detail, name="project_detail"),
    path("projects/<str:project_id>/edit/", views.project_edit, name="project_edit"),
    path("projects/<str:project_id>/delete/", views.project_delete, name="project_delete"),
    path("projects/<str:project_id>/propose/", views.project_propose, name="project_propose"),
]
