"""/api/: version 1 of the REST API, its schema and docs, and the personal tokens page.

Each app keeps its endpoints in `<app>/api/views.py`; they are registered on one router here, so this
file is the list of everything the API offers.
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from mieruka.agencies.api.views import GssMigrationViewSet
from mieruka.budgets.api.views import BudgetLineViewSet
from mieruka.contracts.api.views import CloudUsageViewSet, ContractViewSet
from mieruka.core.api.views import ObjectChangeViewSet
from mieruka.insights.api.views import SimilarPairViewSet
from mieruka.interchange.api.views import ImportViewSet
from mieruka.inventory.api.views import InterfaceViewSet, ProjectViewSet, SharedPlatformViewSet, SystemViewSet
from mieruka.monitoring.api.views import StatusReportViewSet
from mieruka.municipal.api.views import MunicipalMigrationViewSet
from mieruka.organizations.api.views import OrganizationViewSet
from mieruka.outcomes.api.views import KpiViewSet, ServiceViewSet
from mieruka.plans.api.views import DecisionViewSet, PlanViewSet
from mieruka.reporting.api.views import CampaignViewSet, ReturnViewSet
from mieruka.reviews.api.views import FindingViewSet, ReviewViewSet
from mieruka.security.api.views import SecurityFindingViewSet
from mieruka.staffing.api.views import DigitalStaffingViewSet
from mieruka.tasks.api.views import TaskRunViewSet

from . import views

app_name = "api"


class Router(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False


router = Router()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("platforms", SharedPlatformViewSet, basename="platform")
router.register("systems", SystemViewSet, basename="system")
router.register("projects", ProjectViewSet, basename="project")
router.register("interfaces", InterfaceViewSet, basename="interface")
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("contracts", ContractViewSet, basename="contract")
router.register("cloud-usage", CloudUsageViewSet, basename="cloud-usage")
router.register("municipal-migrations", MunicipalMigrationViewSet, basename="municipal-migration")
router.register("gss-migrations", GssMigrationViewSet, basename="gss-migration")
router.register("services", ServiceViewSet, basename="service")
router.register("kpis", KpiViewSet, basename="kpi")
router.register("digital-staffing", DigitalStaffingViewSet, basename="digital-staffing")
router.register("security-findings", SecurityFindingViewSet, basename="security-finding")
router.register("reviews", ReviewViewSet, basename="review")
router.register("findings", FindingViewSet, basename="finding")
router.register("status-reports", StatusReportViewSet, basename="status-report")
router.register("plans", PlanViewSet, basename="plan")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("returns", ReturnViewSet, basename="return")
router.register("changes", ObjectChangeViewSet, basename="change")
router.register("similar-pairs", SimilarPairViewSet, basename="similar-pair")
router.register("imports", ImportViewSet, basename="import")
router.register("tasks", TaskRunViewSet, basename="task")
router.register("webhooks", views.WebhookSubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("v1/", views.ApiRootView.as_view(), name="root"),
    path("v1/status/", views.StatusView.as_view(), name="status"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", views.NotFoundView.as_view(), name="not_found"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", login_required(views.DocsView.as_view()), name="docs"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
