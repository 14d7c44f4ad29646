"""Filters of the review list and the finding search, shared by the pages and any export."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mieruka.inventory.choices import ProjectPhase
from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.selectors import organization_subtree_filter

from .choices import FindingCategory, FindingKind, FindingStatus, ReviewStage, ReviewState, Severity
from .models import Finding, Review
from .selectors import finding_search_q


def fiscal_year_choices():
    from mieruka.inventory.filtersets import fiscal_year_choices as inventory_years

    return inventory_years()


def _subtree(field):
    def apply(queryset, name, value: str):
        return organization_subtree_filter(queryset, code=value, fields=(field,))
    return apply


MINE_CHOICES = [
    ("reviewer", _("Reviews assigned to me")),
    ("support", _("Reviews I support")),
    ("waiting", _("Waiting for me")),
]


class ReviewFilterSet(django_filters.FilterSet):
    """Stage, state, fiscal year, organization subtree and "mine" (assigned, supporting, waiting)."""

    stage = django_filters.ChoiceFilter(label=_("Review"), choices=ReviewStage.choices, empty_label=_("All"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=ReviewState.choices, empty_label=_("All"))
    fiscal_year = django_filters.ChoiceFilter(label=_("Fiscal year"), choices=fiscal_year_choices,
                                                   empty_label=_("All"))
    organization = OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method=_subtree("project__organization_id"), empty_label=_("All organizations"),
    )
    follow_up = django_filters.ChoiceFilter(label=_("Follow-up"), choices=Review._meta.get_field("follow_up").choices,
                                            empty_label=_("All"))
    mine = django_filters.ChoiceFilter(label=_("Mine"), choices=MINE_CHOICES, method="filter_mine",
                                       empty_label=_("All"))
    q = django_filters.CharFilter(label=_("Project"), method="filter_project",
                                  widget=forms.TextInput(attrs={"type": "search"}),
                                  help_text=_("Project ID or name"))

    class Meta:
        model = Review
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def filter_mine(self, queryset, name, value):
        from mieruka.reviews import access

        user = self.user
        if user is None:
            return queryset.none()
        if value == "reviewer":
            return queryset.filter(reviewer=user)
        if value == "support":
            return queryset.filter(support_reviewer=user)
        if value == "waiting":
            # What needs this person's action now: submissions for reviewers, returned drafts for the PJMO.
            if access.is_reviewer(user) or access.is_admin(user):
                from django.db.models import Q

                return queryset.filter(Q(state="submitted", reviewer__isnull=True) | Q(
                    state__in=["submitted", "in_review"], reviewer=user))
            from mieruka.core.permissions import editable_organization_ids

            ids = editable_organization_ids(user)
            qs = queryset.filter(state__in=["draft", "returned"])
            return qs if ids is None else qs.filter(project__organization_id__in=ids)
        return queryset

    def filter_project(self, queryset, name, value):
        from django.db.models import Q

        from mieruka.core.search import search_terms

        for term in search_terms(value):
            queryset = queryset.filter(Q(project__project_id__icontains=term) | Q(project__name_ja__icontains=term))
        return queryset


class FindingFilterSet(django_filters.FilterSet):
    """Finding search: Japanese keywords, phase, category, severity, follow-up status, kind, FY, organization."""

    q = django_filters.CharFilter(label=_("Keywords"), method="filter_keywords",
                                  widget=forms.TextInput(attrs={"type": "search"}),
                                  help_text=_("Searches the finding, recommendation and response; separate words with spaces."))
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=ProjectPhase.choices, empty_label=_("All"))
    category = django_filters.ChoiceFilter(label=pgettext_lazy("finding", "Category"), choices=FindingCategory.choices, empty_label=_("All"))
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Follow-up status"), choices=FindingStatus.choices,
                                         empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FindingKind.choices, empty_label=_("All"))
    fiscal_year = django_filters.ChoiceFilter(label=_("Fiscal year"), field_name="review__fiscal_year",
                                                   choices=fiscal_year_choices, empty_label=_("All"))
    organization = OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method=_subtree("project__organization_id"), empty_label=_("All organizations"),
    )

    class Meta:
        model = Finding
        fields: list[str] = []

    def filter_keywords(self, queryset, name, value):
        return queryset.filter(finding_search_q(value))
