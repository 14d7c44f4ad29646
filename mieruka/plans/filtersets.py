"""Filters of mid-term plans and of stop / continue decisions (the API's lists and any export)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.selectors import organization_subtree_filter

from .choices import DecisionKind
from .models import Decision, MidTermPlan


def _organization_filter(method: str):
    return OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method=method, empty_label=_("All organizations"),
    )


class PlanFilterSet(django_filters.FilterSet):
    """Plans of an organization's subtree, or covering a fiscal year."""

    organization = _organization_filter("filter_organization")
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"), method="filter_fiscal_year",
                                              min_value=1989, max_value=2100)

    class Meta:
        model = MidTermPlan
        fields: list[str] = []

    def filter_organization(self, queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value, fields=("organization_id",))

    def filter_fiscal_year(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class DecisionFilterSet(django_filters.FilterSet):
    """Decisions by kind, on one system or project, of an organization's subtree, by year or date."""

    kind = django_filters.ChoiceFilter(label=_("Decision"), choices=DecisionKind.choices, empty_label=_("All"))
    system = django_filters.CharFilter(field_name="system__system_id", label=_("System ID"))
    project = django_filters.CharFilter(field_name="project__project_id", label=_("Project ID"))
    organization = _organization_filter("filter_organization")
    effective_year = django_filters.NumberFilter(label=_("Effective from fiscal year"), min_value=1989,
                                                 max_value=2100)
    decided_from = django_filters.DateFilter(field_name="decided_on", lookup_expr="gte",
                                             label=_("Decided on or after"))
    decided_to = django_filters.DateFilter(field_name="decided_on", lookup_expr="lte",
                                           label=_("Decided on or before"))

    class Meta:
        model = Decision
        fields: list[str] = []

    def filter_organization(self, queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value,
                                           fields=("system__organization_id", "project__organization_id"))
