from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("<str:code>/", views.plan_detail, name="detail"),
    path("<str:code>/edit/", views.plan_edit, name="edit"),
    path("<str:code>/initiatives/new/", views.initiative_create, name="initiative_create"),
    path("<str:code>/initiatives/<str:initiative_code>/", views.initiative_detail, name="initiative_detail"),
    path("<str:code>/initiatives/<str:initiative_code>/edit/", views.initiative_edit, name="initiative_edit"),
]
