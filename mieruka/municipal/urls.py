from django.urls import path

from . import views

app_name = "municipal"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("migrations/", views.migration_list, name="list"),
    path("behind/", views.behind_schedule, name="behind"),
    path("migrations/<int:pk>/edit/", views.migration_edit, name="edit"),
]
