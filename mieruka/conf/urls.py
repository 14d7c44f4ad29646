from django.conf import settings
from django.contrib import admin
from django.urls import include, path

handler400 = "mieruka.core.views.bad_request"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("mieruka.api.urls")),
    path("organizations/", include("mieruka.organizations.urls")),
    path("contracts/", include("mieruka.contracts.urls")),
    path("outcomes/", include("mieruka.outcomes.urls")),
    path("security/", include("mieruka.security.urls")),
    path("interchange/", include("mieruka.interchange.urls")),
    path("insights/", include("mieruka.insights.urls")),
    path("reviews/", include("mieruka.reviews.urls")),
    path("monitoring/", include("mieruka.monitoring.urls")),
    path("plans/", include("mieruka.plans.urls")),
    path("reporting/", include("mieruka.reporting.urls")),
    path("agencies/", include("mieruka.agencies.urls")),
    path("municipal/", include("mieruka.municipal.urls")),
    path("excessive-requests/", include("mieruka.restraint.urls")),
    path("tasks/", include("mieruka.tasks.urls")),
    path("", include("mieruka.inventory.urls")),
    path("", include("mieruka.core.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
