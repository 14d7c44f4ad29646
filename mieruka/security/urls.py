from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings.csv", views.finding_export, name="finding_export"),
    path("system/<str:system_id>/", views.system_security, name="system"),
]
