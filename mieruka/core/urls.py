from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .auth import ThrottledAuthenticationForm

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("changes/", views.changelog, name="changelog"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("history/<str:model>/<int:pk>/", views.object_history, name="object_history"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]
