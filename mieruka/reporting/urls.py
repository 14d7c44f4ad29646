from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/open/", views.campaign_open, name="campaign_open"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/accept/", views.return_accept, name="return_accept"),
    path("returns/<int:pk>/send-back/", views.return_send_back, name="return_send_back"),
    path("confirm/<str:model>/<int:pk>/", views.record_confirm, name="record_confirm"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/open/", views.survey_open, name="survey_open"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:pk>/export.<str:fmt>", views.survey_export, name="survey_export"),
    path("surveys/responses/<int:pk>/", views.survey_answer, name="survey_answer"),
    path("surveys/files/<int:pk>/", views.survey_file, name="survey_file"),
]
