from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("export.csv", views.contract_export, name="export"),
    path("insight/", views.procurement_insight, name="insight"),
    path("execution/", views.budget_execution, name="execution"),
    path("cloud/", views.cloud_migrations, name="cloud_migrations"),
    path("cloud/<str:system_id>/", views.system_cloud, name="system_cloud"),
    path("<str:contract_number>/", views.contract_detail, name="detail"),
]
