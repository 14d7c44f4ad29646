from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("similar/", views.similar, name="similar"),
    path("similar/decide/", views.pair_decide, name="pair_decide"),
    path("similar/clusters/decide/", views.cluster_decide, name="cluster_decide"),
    path("architecture/", views.architecture, name="architecture"),
    path("staffing/", views.staffing, name="staffing"),
    path("vendor/plotly.min.js", views.plotly_js, name="plotly_js"),
]
