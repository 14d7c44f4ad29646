"""Filters of the service and indicator lists as the API offers them: the parameters of the list pages
(`organization` with its subtree, `level`, `term`, `standard`, `service`, `project`, `q`)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.selectors import organization_subtree_filter

from .choices import KpiLevel, KpiTerm, StandardMeasure


class _OrganizationMixin(django_filters.FilterSet):
    organization = OrganizationCodeFilter(label=_("Organization (including sub-organizations)"),
                                          method="filter_organization", empty_label=_("All organizations"))

    def filter_organization(self, queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value, fields=("organization_id",))


class ServiceFilterSet(_OrganizationMixin):
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_q")

    def filter_q(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name_ja__icontains=value) | Q(name_en__icontains=value))


class KpiFilterSet(_OrganizationMixin):
    level = django_filters.ChoiceFilter(choices=KpiLevel.choices)
    term = django_filters.ChoiceFilter(choices=KpiTerm.choices)
    standard = django_filters.ChoiceFilter(choices=StandardMeasure.choices)
    service = django_filters.CharFilter(field_name="service__code")
    project = django_filters.CharFilter(field_name="project__project_id")
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_q")

    def filter_q(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name_ja__icontains=value) | Q(goal__icontains=value))
