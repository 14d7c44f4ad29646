from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("start/<slug:key>/", views.task_action_start, name="start"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/status.json", views.task_status, name="status"),
    path("<int:pk>/download/", views.task_download, name="download"),
]
