"""Filters of the migration list, shared by the page, its CSV and every figure of the dashboard."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import MigrationStatus
from .models import BusinessArea
from .selectors import behind_schedule_q, municipal_today

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class MunicipalMigrationFilterSet(django_filters.FilterSet):
    prefecture = django_filters.CharFilter(label=_("Prefecture code"), method="filter_prefecture")
    municipality = django_filters.CharFilter(label=_("Local government code"), method="filter_municipality")
    area = django_filters.ModelChoiceFilter(
        label=_("Business area"), field_name="business_area", to_field_name="code",
        queryset=BusinessArea.objects.order_by("number"))
    status = django_filters.ChoiceFilter(label=_("Migration status"), choices=MigrationStatus.choices)
    specific = django_filters.ChoiceFilter(label=_("Specific migration support"), choices=YES_NO,
                                           method="filter_specific")
    behind = django_filters.ChoiceFilter(label=_("Behind schedule"), choices=YES_NO, method="filter_behind")
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_q")

    def filter_prefecture(self, queryset: QuerySet, name, value):
        return queryset.filter(prefecture__local_government_code=value.strip())

    def filter_municipality(self, queryset: QuerySet, name, value):
        return queryset.filter(organization__local_government_code=value.strip())

    def filter_specific(self, queryset: QuerySet, name, value):
        return queryset.filter(specific_support=value == "yes")

    def filter_behind(self, queryset: QuerySet, name, value):
        behind = behind_schedule_q(today=municipal_today())
        return queryset.filter(behind) if value == "yes" else queryset.exclude(behind)

    def filter_q(self, queryset: QuerySet, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(organization__name_ja__icontains=value) | Q(current_system__icontains=value)
                               | Q(vendor__icontains=value) | Q(package__icontains=value))
