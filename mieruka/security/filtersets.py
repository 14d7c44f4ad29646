"""The findings list's filters, shared by the page, its CSV and the API (drill-down from the dashboard)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieruka.core.errors import bilingual
from mieruka.organizations.models import Organization
from mieruka.organizations.selectors import organization_code_choices_tree, organization_subtree_ids

from .choices import OPEN_STATUSES, FindingStatus, Severity
from .models import SecurityFinding
from .selectors import security_as_of

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SecurityFindingFilterSet(django_filters.FilterSet):
    """Findings by organization subtree, system, severity, status, open or not, and past their SLA on the
    `as_of` date (the data's date unless given)."""

    organization = django_filters.ChoiceFilter(
        label=_("Organization (including sub-organizations)"), choices=organization_code_choices_tree,
        method="filter_organization", empty_label=_("All organizations"),
    )
    system = django_filters.CharFilter(label=_("System ID"), field_name="system__system_id")
    severity = django_filters.ChoiceFilter(label=pgettext_lazy("security finding", "Severity"), choices=Severity.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Finding status"), choices=FindingStatus.choices,
                                         empty_label=_("All"))
    open = django_filters.ChoiceFilter(label=_("Still open"), choices=YES_NO, method="filter_open",
                                       empty_label=_("All"))
    past_sla = django_filters.ChoiceFilter(label=_("Open past its SLA"), choices=YES_NO, method="filter_past_sla",
                                           empty_label=_("All"))
    as_of = django_filters.DateFilter(label=_("As of"), method="filter_nothing",
                                      widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = SecurityFinding
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, as_of=None, **kwargs):
        super().__init__(data=data if data is not None else {}, queryset=queryset, **kwargs)
        # The API builds the FilterSet itself: then the data's date.
        self.default_as_of = as_of or security_as_of()
        for field in self.form.fields.values():
            field.error_messages.update({
                "invalid_choice": bilingual("選択肢にない値です（%(value)s）", "Not one of the choices (%(value)s)"),
                "invalid": bilingual("日付はYYYY-MM-DD形式で入力してください", "Give the date as YYYY-MM-DD"),
            })

    @property
    def as_of_date(self):
        value = self.form.cleaned_data.get("as_of") if self.form.is_valid() else None
        return value or self.default_as_of

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return super().filter_queryset(queryset).order_by("due_on", "system__system_id", "finding_id")

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by `past_sla`

    def filter_organization(self, queryset, name, value: str):
        organization = Organization.objects.filter(code=value).first()
        if organization is None:
            return queryset.none()
        return queryset.filter(system__organization_id__in=organization_subtree_ids(organization=organization))

    def filter_open(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.exclude(status__in=OPEN_STATUSES) if value == "no" else queryset

    def filter_past_sla(self, queryset, name, value):
        past = queryset.filter(status__in=OPEN_STATUSES, due_on__lt=self.as_of_date)
        if value == "yes":
            return past
        return queryset.exclude(pk__in=past.values("pk")) if value == "no" else queryset
