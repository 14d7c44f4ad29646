from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("search/", views.search, name="search"),
    path("changes/", views.changelog, name="changelog"),
    path("changes/<int:pk>/", views.change_detail, name="change_detail"),
    path("history/<str:model>/<int:pk>/", views.object_history, name="object_history"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

if settings.MIERUKA_OIDC_ENABLED:
    # /oidc/authenticate/ starts single sign-on, /oidc/callback/ receives the identity provider's answer.
    urlpatterns += [path("oidc/", include("mozilla_django_oidc.urls"))]
