from django.urls import path

from . import views

app_name = "restraint"
urlpatterns = [
    path("", views.index, name="index"),
    path("flag/", views.flag_create, name="flag_create"),
    path("flags/<int:pk>/", views.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/decide/", views.flag_decide, name="flag_decide"),
    path("explanations/", views.explanation_list, name="explanation_list"),
    path("explanations/new/", views.explanation_create, name="explanation_create"),
    path("explanations/<int:pk>/", views.explanation_detail, name="explanation_detail"),
]
