from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="list"),
    path("export.csv", views.contract_export, name="export"),
    path("insight/", views.procurement_insight, name="insight"),
    path("<str:contract_number>/", views.contract_detail, name="detail"),
]
