"""Filters of the contracts list, shared by the page, its CSV download, the API and the insight links.

Every figure on the procurement insight page links to this list with these parameters, so a count there
and the number of rows here come from the same filters.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from mieruka.budgets.choices import BudgetCategory
from mieruka.core.errors import bilingual
from mieruka.inventory.filtersets import FiscalYearChoiceFilter, fiscal_year_choices, keyword_q
from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.selectors import organization_subtree_filter

from .choices import COMPETITIVE_METHODS, ContractMethod
from .models import CloudUsage, Contract

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

SORT_KEYS = {
    "contract_number": ["contract_number"],
    "fiscal_year": ["fiscal_year"],
    "organization": ["organization__order", "organization__code"],
    "vendor": ["vendor_name"],
    "amount": ["amount_yen"],
    "award_rate": ["award_rate"],
}


def _yes_no(queryset, field: str, value: str, *, values=None):
    lookup = {f"{field}__in": values} if values is not None else {field: True}
    if value == "yes":
        return queryset.filter(**lookup)
    if value == "no":
        return queryset.exclude(**lookup)
    return queryset


class ContractFilterSet(django_filters.FilterSet):
    """Contracts by keyword, organization subtree, system, vendor, fiscal year, method, category,
    single bidder, competitive method, award-rate range (min inclusive, max exclusive) and sort."""

    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keyword", widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Searches contract numbers, titles and vendor names; separate several words with spaces."),
    )
    organization = OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method="filter_organization", empty_label=_("All organizations"),
    )
    system = django_filters.CharFilter(label=_("System ID"), method="filter_system")
    vendor = django_filters.CharFilter(
        label=_("Vendor corporate number"), field_name="vendor_corporate_number",
    )
    fiscal_year = FiscalYearChoiceFilter(label=_("Fiscal year"), choices=fiscal_year_choices, empty_label=_("All"))
    method = django_filters.ChoiceFilter(label=_("Contract method"), choices=ContractMethod.choices,
                                         empty_label=_("All"))
    category = django_filters.ChoiceFilter(
        label=_("Development or operation"), choices=BudgetCategory.choices, empty_label=_("All"),
    )
    competitive = django_filters.ChoiceFilter(
        label=_("Competitive method"), choices=YES_NO, method="filter_competitive", empty_label=_("All"),
    )
    single_bid = django_filters.ChoiceFilter(
        label=_("Single bidder (一者応札)"), choices=YES_NO, method="filter_single_bid", empty_label=_("All"),
    )
    rate_min = django_filters.NumberFilter(
        label=_("Award rate from (%)"), field_name="award_rate", lookup_expr="gte", min_value=Decimal(0),
    )
    rate_max = django_filters.NumberFilter(
        label=_("Award rate below (%)"), field_name="award_rate", lookup_expr="lt", min_value=Decimal(0),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="filter_sort", empty_label=None,
        choices=[(k, k) for key in SORT_KEYS for k in (key, f"-{key}")],
    )

    class Meta:
        model = Contract
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data=data if data is not None else {}, queryset=queryset, **kwargs)
        for field in self.form.fields.values():
            field.error_messages.update({
                "invalid_choice": bilingual("選択肢にない値です（%(value)s）", "Not one of the choices (%(value)s)"),
            })

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.filter_sort(queryset, "sort", "")
        return queryset

    def filter_keyword(self, queryset, name, value):
        return queryset.filter(keyword_q(value, ["contract_number", "title", "vendor_name"]))

    def filter_organization(self, queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value, fields=("organization_id",))

    def filter_system(self, queryset, name, value):
        # A subquery rather than a join, so a contract for several systems is listed once.
        return queryset.filter(pk__in=Contract.objects.filter(systems__system_id=value).values("pk"))

    def filter_competitive(self, queryset, name, value):
        return _yes_no(queryset, "method", value, values=sorted(COMPETITIVE_METHODS))

    def filter_single_bid(self, queryset, name, value):
        return _yes_no(queryset, "single_bid", value)

    def filter_sort(self, queryset, name, value):
        key = value or "-fiscal_year"
        descending = key.startswith("-")
        ordering = []
        for expr in SORT_KEYS[key.lstrip("-")]:
            ordering.append(F(expr).desc(nulls_last=True) if descending else F(expr).asc(nulls_first=True))
        return queryset.order_by(*ordering, "-pk" if descending else "pk")


class CloudUsageFilterSet(django_filters.FilterSet):
    """Cloud charges by system, organization subtree, fiscal year or month range, account and category."""

    system = django_filters.CharFilter(label=_("System ID"), field_name="system__system_id")
    organization = OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method="filter_organization",
    )
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"), method="filter_fiscal_year",
                                              min_value=1989, max_value=2100)
    month_from = django_filters.DateFilter(label=_("From month"), field_name="month", lookup_expr="gte")
    month_to = django_filters.DateFilter(label=_("To month"), field_name="month", lookup_expr="lte")
    account = django_filters.CharFilter(label=_("Cloud account"), field_name="account")
    service_category = django_filters.CharFilter(label=_("Service category"), field_name="service_category")

    class Meta:
        model = CloudUsage
        fields: list[str] = []

    def filter_organization(self, queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value, fields=("system__organization_id",))

    def filter_fiscal_year(self, queryset, name, value):
        fy = int(value)
        return queryset.filter(month__gte=datetime.date(fy, 4, 1), month__lte=datetime.date(fy + 1, 3, 1))
