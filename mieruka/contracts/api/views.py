"""API endpoint of contracts, over the shared viewset."""

from mieruka.api.viewsets import PortfolioViewSet, WritableViewSet

from ..filtersets import CloudUsageFilterSet, ContractFilterSet
from ..selectors import cloud_usage_list, contract_list
from ..services import contract_create, contract_delete, contract_organization, contract_update
from ..views import contract_csv_rows
from .serializers import CloudUsageOutputSerializer, ContractInputSerializer, ContractOutputSerializer


class ContractViewSet(WritableViewSet):
    """Contracts, filtered like the contracts page; scoped and owned by the contracting organization."""

    lookup_field = "contract_number"
    scope_field = "organization"
    owner = "organization"
    filterset_class = ContractFilterSet
    serializer_class = ContractOutputSerializer
    input_serializer_class = ContractInputSerializer

    def get_base_queryset(self):
        return contract_list()

    def export_rows(self, queryset):
        # The contracts page's download: the interchange `contracts` columns.
        return contract_csv_rows(queryset)

    def owner_organization_id(self, *, instance=None, data=None):
        # Without an organization the contract takes its first system's (as the service does), and the
        # editor must be allowed to change that one.
        if data is not None and "organization" not in data and instance is None:
            organization = contract_organization(systems=data.get("systems"), project=data.get("project"))
            return organization.pk if organization is not None else None
        return super().owner_organization_id(instance=instance, data=data)

    def perform_create_service(self, *, actor, data, reason):
        return contract_create(actor=actor, data=data, reason=reason)

    def perform_update_service(self, *, actor, instance, data, reason):
        return contract_update(actor=actor, contract=instance, data=data, reason=reason)

    def perform_delete_service(self, *, actor, instance, reason):
        contract_delete(actor=actor, contract=instance, reason=reason)


class CloudUsageViewSet(PortfolioViewSet):
    """Monthly government-cloud charges, scoped by the system's organization. Read-only: charges come from
    the billing CSV through the import (interchange table `cloud_usage`)."""

    scope_field = "system__organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = CloudUsageFilterSet
    serializer_class = CloudUsageOutputSerializer

    def get_base_queryset(self):
        return cloud_usage_list()
