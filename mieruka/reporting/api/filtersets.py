"""Filters of the campaign and return lists of the API."""

import django_filters

from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import organization_subtree_ids

from ..choices import CampaignStatus, ReturnStatus
from ..models import Campaign, Return


class CampaignFilterSet(django_filters.FilterSet):
    """Campaigns by status, fiscal year and due date."""

    status = django_filters.ChoiceFilter(choices=CampaignStatus.choices)
    fiscal_year = django_filters.NumberFilter(min_value=1989, max_value=2100)
    due_from = django_filters.DateFilter(field_name="due_on", lookup_expr="gte", label="Due on or after")
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label="Due on or before")

    class Meta:
        model = Campaign
        fields: list[str] = []


class ReturnFilterSet(django_filters.FilterSet):
    """Returns of one campaign, of an organization's subtree, by status."""

    campaign = django_filters.NumberFilter(field_name="campaign_id", min_value=1, max_value=10**18,
                                           label="Campaign ID")
    organization = OrganizationCodeFilter( method="filter_organization",
                                               label="Organization code (including sub-organizations)")
    status = django_filters.ChoiceFilter(choices=ReturnStatus.choices)

    class Meta:
        model = Return
        fields: list[str] = []

    def filter_organization(self, queryset, name, value):
        organization = Organization.objects.filter(code=value).first()
        if organization is None:
            return queryset.none()
        return queryset.filter(organization_id__in=organization_subtree_ids(organization=organization))
