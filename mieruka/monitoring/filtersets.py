"""Filters of status reports (the API's list and any export): project, organization subtree, rating, period."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.selectors import organization_subtree_filter

from .choices import Rating
from .models import StatusReport


class StatusReportFilterSet(django_filters.FilterSet):
    """Reports of one project or of an organization's subtree, by overall rating and period."""

    project = django_filters.CharFilter(field_name="project__project_id", label=_("Project ID"))
    organization = OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method="filter_organization", empty_label=_("All organizations"),
    )
    overall = django_filters.ChoiceFilter(label=_("Overall rating"), choices=Rating.choices, empty_label=_("All"))
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte",
                                            label=_("Periods ending on or after"))
    period_to = django_filters.DateFilter(field_name="period_end", lookup_expr="lte",
                                          label=_("Periods ending on or before"))

    class Meta:
        model = StatusReport
        fields: list[str] = []

    def filter_organization(self, queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value, fields=("project__organization_id",))
