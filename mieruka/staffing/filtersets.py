"""Filters of the digital-staffing rows as the page takes them: one organization, one fiscal year."""

import django_filters

from mieruka.organizations.filters import OrganizationCodeFilter


class DigitalStaffingFilterSet(django_filters.FilterSet):
    # As on the page: the organization's own rows (ministries are recorded at the top of their tree).
    organization = OrganizationCodeFilter(field_name="organization__code")
    fiscal_year = django_filters.NumberFilter(min_value=2000, max_value=2100)
