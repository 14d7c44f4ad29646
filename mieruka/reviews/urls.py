from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("findings/", views.finding_search, name="finding_search"),
    path("findings/<int:pk>/update/", views.finding_update, name="finding_update"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/transition/", views.review_transition, name="transition"),
    path("<int:pk>/checklist/", views.checklist_answer, name="checklist"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding_create"),
    path("<int:pk>/follow-up/", views.review_follow_up, name="follow_up"),
]
