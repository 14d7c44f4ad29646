from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("projects/<str:project_id>/", views.project_monitoring, name="project"),
    path("projects/<str:project_id>/reports/new/", views.report_create, name="report_create"),
    path("projects/<str:project_id>/baselines/new/", views.baseline_create, name="baseline_create"),
]
