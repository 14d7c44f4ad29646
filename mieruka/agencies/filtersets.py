"""Filters of the GSS schedule as the page takes them (`status`), plus the organization subtree."""

import django_filters
from django.utils.translation import gettext_lazy as _

from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.selectors import organization_subtree_filter

from .choices import GssStatus


class GssMigrationFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=GssStatus.choices)
    organization = OrganizationCodeFilter(label=_("Organization (including sub-organizations)"),
                                          method="filter_organization", empty_label=_("All organizations"))

    def filter_organization(self, queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value, fields=("organization_id",))
