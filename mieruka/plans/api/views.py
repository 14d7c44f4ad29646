"""API endpoints of mid-term plans and of stop / continue decisions, over the shared viewset."""

from django.db.models import Prefetch

from mieruka.api.permissions import PortfolioPermission
from mieruka.api.viewsets import BulkCreateMixin, CreateMixin, PortfolioViewSet

from ..filtersets import DecisionFilterSet, PlanFilterSet
from ..models import Initiative, MidTermPlan
from ..selectors import decision_list
from ..services import decision_record, plan_create
from .serializers import (
    DecisionInputSerializer,
    DecisionOutputSerializer,
    PlanInputSerializer,
    PlanOutputSerializer,
)


class PlanWritePermission(PortfolioPermission):
    """Signed-in users read and may attempt to register a plan; the plan services allow the ministry's
    editors and the Digital Agency's roles, as the plan pages do, and refuse everyone else (403)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated)


class PlanViewSet(BulkCreateMixin, CreateMixin, PortfolioViewSet):
    """Ministries' mid-term plans (各府省中長期計画) with their initiatives and targets, scoped by the
    plan's organization. Its editors and the Digital Agency register a plan with POST (several with
    `POST bulk/`)."""

    permission_classes = [PlanWritePermission]

    lookup_field = "code"
    scope_field = "organization"
    owner = "organization"
    filterset_class = PlanFilterSet
    serializer_class = PlanOutputSerializer
    input_serializer_class = PlanInputSerializer

    def get_base_queryset(self):
        # plan_list()'s rows with the initiatives' systems and projects too, in one query each.
        return MidTermPlan.objects.select_related("organization").prefetch_related(
            Prefetch("initiatives", queryset=Initiative.objects.order_by("code").prefetch_related(
                "systems", "projects")))

    def check_write(self, *, instance=None, data=None):
        # As on the plan pages: the ministry's editors and the Digital Agency's roles register plans; the
        # service decides (and refuses with 403), so the API and the pages cannot disagree.
        return

    def perform_create_service(self, *, actor, data, reason):
        return plan_create(actor=actor, reason=reason, **data)


class DecisionViewSet(BulkCreateMixin, CreateMixin, PortfolioViewSet):
    """Decisions to stop, scale down, merge or continue a system or a project (やめることを決める), scoped
    by the decided system's or project's organization (the selector applies it: a decision has either).
    The organization's editors (and administrators) record one with POST (several, all or nothing, with
    `POST bulk/`); decisions are not edited or
    deleted — a new decision supersedes the last."""

    scope_field = None  # decision_list(user=…) scopes by the system's or the project's organization
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = DecisionFilterSet
    serializer_class = DecisionOutputSerializer
    input_serializer_class = DecisionInputSerializer

    def get_base_queryset(self):
        return decision_list(user=self.request.user).select_related("successor")

    def owner_organization_id(self, *, instance=None, data=None):
        target = (data or {}).get("system") or (data or {}).get("project")
        return target.organization_id if target is not None else None

    def check_write(self, *, instance=None, data=None):
        if data is not None and (data.get("system") is None) == (data.get("project") is None):
            return  # the service answers that a decision concerns exactly one system or one project
        super().check_write(instance=instance, data=data)

    def perform_create_service(self, *, actor, data, reason):
        return decision_record(actor=actor, **data)
