from django.urls import path

from . import staffing_views, views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("similar/", views.similar, name="similar"),
    path("similar/decide/", views.pair_decide, name="pair_decide"),
    path("similar/clusters/decide/", views.cluster_decide, name="cluster_decide"),
    path("architecture/", views.architecture, name="architecture"),
    path("staffing/", views.staffing, name="staffing"),
    path("staffing/digital/", staffing_views.digital_staffing, name="digital_staffing"),
    path("staffing/digital/<str:code>/<int:fiscal_year>/", staffing_views.digital_staffing_edit,
         name="digital_staffing_edit"),
    path("vendor/plotly.min.js", views.plotly_js, name="plotly_js"),
]
