"""API endpoints of systems, projects, interfaces and shared platforms."""

import django_filters
from django import forms
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework.decorators import action

from mieruka.api.permissions import require_editable
from mieruka.api.serializers import ErrorSerializer
from mieruka.api.viewsets import AsOfMixin, CreateDeleteViewSet, PortfolioViewSet, WritableViewSet
from mieruka.budgets.models import BudgetLine
from mieruka.budgets.selectors import system_budget_subquery

from ..choices import InterfaceKind
from ..exports import system_csv_rows
from ..filtersets import InformationSystemFilterSet, ProjectFilterSet
from ..models import Interface
from ..selectors import current_fiscal_year, platform_list, project_list, system_by_any_id, system_list
from ..services import (
    interface_create,
    interface_delete,
    project_create,
    project_delete,
    project_update,
    system_create,
    system_delete,
    system_rename,
    system_retire,
    system_update,
)
from .serializers import (
    InterfaceInputSerializer,
    InterfaceOutputSerializer,
    ProjectInputSerializer,
    ProjectOutputSerializer,
    SharedPlatformOutputSerializer,
    SystemInputSerializer,
    SystemOutputSerializer,
    SystemRenameInputSerializer,
    SystemRetireInputSerializer,
)


class SharedPlatformViewSet(PortfolioViewSet):
    """Shared government platforms (GIMA, GPKI, gBizID, JPKI, GSS, government cloud, …); read-only here.

    Everyone signed in reads them; they are maintained by administrators in the admin site.
    """

    scope_field = None
    lookup_field = "code"
    serializer_class = SharedPlatformOutputSerializer

    def get_base_queryset(self):
        return platform_list()


# A detail action also answers 404 (no such system within what you may see).
ACTION_RESPONSES = {
    200: SystemOutputSerializer,
    404: OpenApiResponse(ErrorSerializer, description="No such record within what you may see (not_found)"),
}


@extend_schema_field(OpenApiTypes.INT)
class YenFilter(django_filters.NumberFilter):
    """A whole number of yen."""

    field_class = forms.IntegerField


class SystemApiFilterSet(InformationSystemFilterSet):
    """The systems page's filters, plus the budget range in yen, as every amount in the API is in yen.

    The page's `budget_min`/`budget_max` (million yen) stay, so a page's query string still works here."""

    budget_min_yen = YenFilter(
        label="Initial budget at least (yen)", method="filter_budget_min_yen", min_value=0, max_value=10**15)
    budget_max_yen = YenFilter(
        label="Initial budget at most (yen)", method="filter_budget_max_yen", min_value=0, max_value=10**15)

    def filter_budget_min_yen(self, queryset, name, value):
        return queryset.filter(fy_budget__gte=value)

    def filter_budget_max_yen(self, queryset, name, value):
        return queryset.filter(fy_budget__lte=value)


class SystemViewSet(AsOfMixin, WritableViewSet):
    """Information systems, filtered like the systems page. `internal_notes` needs clearance."""

    as_of_related = {"budget_lines": BudgetLine}
    lookup_field = "system_id"
    filterset_class = SystemApiFilterSet
    serializer_class = SystemOutputSerializer
    input_serializer_class = SystemInputSerializer

    def get_base_queryset(self):
        # One record shows this year's budget; a list re-annotates it for its `budget_fy`.
        return system_list().annotate(fy_budget=system_budget_subquery(fiscal_year=current_fiscal_year()))

    def get_object(self):
        # An ID the system had before a rename still finds it (within the caller's scope).
        try:
            return super().get_object()
        except Http404:
            instance = system_by_any_id(queryset=self.get_queryset(), system_id=self.kwargs[self.lookup_field])
            if instance is None:
                raise
            self.check_object_permissions(self.request, instance)
            return instance

    def export_rows(self, queryset):
        # The systems page's download: interchange columns plus the chosen year's initial budget.
        fiscal_year = self.filterset_class(self.request.query_params, queryset=queryset).fiscal_year
        return system_csv_rows(queryset, fiscal_year=fiscal_year)

    def get_input_serializer_class(self):
        return {"retire": SystemRetireInputSerializer, "rename": SystemRenameInputSerializer}.get(
            self.action) or super().get_input_serializer_class()

    @extend_schema(summary="Retire a system", responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def retire(self, request, system_id=None):
        """Retire the system (its owning ministry's editors, administrators): status becomes retired."""
        instance = self.get_object()
        require_editable(request.user, instance.organization_id)
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self.respond(system_retire(actor=self.actor(), system=instance, retired_on=data["retired_on"],
                                          reason=data["reason"], successor=data.get("successor")))

    @extend_schema(summary="Rename a system", responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def rename(self, request, system_id=None):
        """Give the system a new system ID (administrators only); the old ID keeps resolving."""
        instance = self.get_object()
        serializer = self.get_input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self.respond(system_rename(actor=self.actor(), system=instance,
                                          new_system_id=data["new_system_id"], reason=data["reason"]))

    def perform_create_service(self, *, actor, data, reason):
        return system_create(actor=actor, data=data, reason=reason)

    def perform_update_service(self, *, actor, instance, data, reason):
        return system_update(actor=actor, system=instance, data=data, reason=reason)

    def perform_delete_service(self, *, actor, instance, reason):
        system_delete(actor=actor, system=instance, reason=reason)


class ProjectViewSet(WritableViewSet):
    """Projects with their PJMO staffing and KPI, filtered like the projects page."""

    lookup_field = "project_id"
    filterset_class = ProjectFilterSet
    serializer_class = ProjectOutputSerializer
    input_serializer_class = ProjectInputSerializer

    def get_base_queryset(self):
        return project_list()

    def perform_create_service(self, *, actor, data, reason):
        return project_create(actor=actor, data=data, reason=reason)

    def perform_update_service(self, *, actor, instance, data, reason):
        return project_update(actor=actor, project=instance, data=data, reason=reason)

    def perform_delete_service(self, *, actor, instance, reason):
        project_delete(actor=actor, project=instance, reason=reason)


class InterfaceFilterSet(django_filters.FilterSet):
    """TEMPORARY until inventory/filtersets.py has one: links touching a system, by kind."""

    system = django_filters.CharFilter(method="filter_system", label="System ID at either end")
    from_system = django_filters.CharFilter(
        field_name="from_system__system_id", label="System ID it starts from"
    )
    to_system = django_filters.CharFilter(field_name="to_system__system_id", label="System ID it goes to")
    kind = django_filters.ChoiceFilter(choices=InterfaceKind.choices)

    class Meta:
        model = Interface
        fields: list[str] = []

    def filter_system(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(from_system__system_id=value) | Q(to_system__system_id=value))


class InterfaceViewSet(CreateDeleteViewSet):
    """Links between systems. A link belongs to the system it starts from: that system's organization
    scopes who sees it and who may add or remove it. Links are not edited in place: remove and add."""

    scope_field = "from_system__organization"
    owner = "from_system.organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = InterfaceFilterSet
    serializer_class = InterfaceOutputSerializer
    input_serializer_class = InterfaceInputSerializer

    def get_base_queryset(self):
        return Interface.objects.select_related("from_system", "to_system")

    def perform_create_service(self, *, actor, data, reason):
        return interface_create(actor=actor, reason=reason, **data)

    def perform_delete_service(self, *, actor, instance, reason):
        interface_delete(actor=actor, interface=instance, reason=reason)
