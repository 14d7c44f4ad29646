from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("services/", views.service_list, name="service_list"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<str:code>/", views.service_detail, name="service_detail"),
    path("services/<str:code>/edit/", views.service_edit, name="service_edit"),
    path("kpis/", views.kpi_list, name="kpi_list"),
    path("kpis/new/", views.kpi_create, name="kpi_create"),
    path("kpis/import/", views.kpi_import, name="kpi_import"),
    path("kpis/<str:code>/", views.kpi_detail, name="kpi_detail"),
    path("kpis/<str:code>/edit/", views.kpi_edit, name="kpi_edit"),
    path("kpis/<str:code>/values/", views.kpi_value, name="kpi_value"),
]
