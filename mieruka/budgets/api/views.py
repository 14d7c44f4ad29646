"""API endpoints of budget lines."""

import django_filters
from django.db.models import Q

from mieruka.api.viewsets import WritableViewSet
from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import organization_subtree_ids

from ..choices import Appropriation, BudgetCategory, BudgetStage
from ..models import BudgetLine
from ..selectors import budget_line_list
from ..services import budget_line_delete, budget_line_set
from .serializers import BudgetLineAmountSerializer, BudgetLineInputSerializer, BudgetLineOutputSerializer


class BudgetLineFilterSet(django_filters.FilterSet):
    """TEMPORARY until budgets/filtersets.py exists: lines by system, organization subtree, FY, kind."""

    system = django_filters.CharFilter(field_name="system__system_id", label="System ID")
    organization = django_filters.CharFilter(
        method="filter_organization", label="Organization code (including sub-organizations)"
    )
    fiscal_year = django_filters.NumberFilter(min_value=1989, max_value=2100)
    category = django_filters.ChoiceFilter(choices=BudgetCategory.choices)
    stage = django_filters.ChoiceFilter(choices=BudgetStage.choices)
    appropriation = django_filters.ChoiceFilter(choices=Appropriation.choices)

    class Meta:
        model = BudgetLine
        fields: list[str] = []

    def filter_organization(self, queryset, name, value):
        organization = Organization.objects.filter(code=value).first()
        if organization is None:
            return queryset.none()
        return queryset.filter(
            Q(system__organization__in=organization_subtree_ids(organization=organization))
        )


class BudgetLineViewSet(WritableViewSet):
    """Budget lines of systems; scoped and owned by the system's organization."""

    scope_field = "system__organization"
    owner = "system.organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = BudgetLineFilterSet
    serializer_class = BudgetLineOutputSerializer
    input_serializer_class = BudgetLineInputSerializer
    update_serializer_class = BudgetLineAmountSerializer

    def get_base_queryset(self):
        return budget_line_list().order_by(
            "system__system_id", "fiscal_year", "category", "stage", "appropriation", "pk"
        )

    def perform_create_service(self, *, actor, data, reason):
        return budget_line_set(actor=actor, reason=reason, **data)

    def perform_update_service(self, *, actor, instance, data, reason):
        return budget_line_set(
            actor=actor,
            system=instance.system,
            fiscal_year=instance.fiscal_year,
            category=instance.category,
            stage=instance.stage,
            appropriation=instance.appropriation,
            amount_yen=data.get("amount_yen", instance.amount_yen),
            reason=reason,
        )

    def perform_delete_service(self, *, actor, instance, reason):
        budget_line_delete(actor=actor, budget_line=instance, reason=reason)
