from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.rollup, name="rollup"),
    path("ministries/<str:code>/", views.ministry, name="ministry"),
    path("gss/", views.gss_schedule, name="gss_schedule"),
    path("gss/<str:lan_code>/", views.gss_detail, name="gss_detail"),
]
