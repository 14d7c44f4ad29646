"""Filters of the systems and projects lists, shared by the pages, CSV download, API and exports.

The filtersets depend only on their `data` (a QueryDict or a plain dict), never on the request, so the
same filtered list can be produced by a page, a download, an API call or a command.
"""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField as FilterChoiceField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from mieruka.budgets.choices import BudgetCategory, BudgetStage
from mieruka.core.errors import bilingual
from mieruka.core.formatting import fiscal_year_label
from mieruka.core.search import search_terms
from mieruka.core.selectors import field_changes
from mieruka.organizations.choices import EntityGroup
from mieruka.organizations.filters import OrganizationCodeFilter
from mieruka.organizations.selectors import (
    organization_entity_groups,
    organization_subtree_filter,
)

from .choices import (
    Architecture,
    ConsolidationTarget,
    Hosting,
    InterfaceKind,
    PlatformTarget,
    ProcessingClass,
    ProjectPhase,
    SystemClassification,
    SystemStatus,
)
from .columns import PROJECT_COLUMNS, SYSTEM_COLUMNS
from .models import BusinessFunction, InformationSystem, Interface, Project, SharedPlatform
from .registry import project_signals, system_signals
from .selectors import current_fiscal_year, project_search_q, system_figures_annotate, system_search_q

MAX_IDS = 500
HAS_BUDGET_CHOICES = [
    ("any", _("Any budget line")),
    (BudgetCategory.DEVELOPMENT, BudgetCategory.DEVELOPMENT.label),
    (BudgetCategory.OPERATION, BudgetCategory.OPERATION.label),
]
ACTIVE_CHOICES = [("yes", _("In use or planned (not retired)")), ("no", _("Retired only"))]

MILLION = 1_000_000
NOT_CLASSIFIED = ("none", _("Not classified"))
IMPORTANT_CHOICES = [("yes", _("Important projects only")), ("no", _("Not important projects"))]


def keyword_terms(query: str) -> list[str]:
    """The search terms (see `mieruka.core.search.search_terms`: NFKC-folded, at most 20)."""
    return search_terms(query)


def keyword_q(query: str, fields: list[str]) -> Q:
    """Every term must appear in at least one of `fields` (case-insensitive)."""
    q = Q()
    for term in keyword_terms(query):
        term_q = Q()
        for field in fields:
            term_q |= Q(**{f"{field}__icontains": term})
        q &= term_q
    return q


def fiscal_year_choices() -> list[tuple[int, str]]:
    """Fiscal years from 2013 (the IT Dashboard's first) to two years ahead (requests come a year early)."""
    this_year = current_fiscal_year()
    lang = get_language() or "ja"
    return [(y, fiscal_year_label(y, lang=lang)) for y in range(this_year + 2, 2012, -1)]


def _filter_organization_subtree(queryset, name, value):
    return organization_subtree_filter(queryset, code=value, fields=(name,))


class _YesNoField(FilterChoiceField):
    """The page's yes/no select, which also takes true/false (and 1/0), as API clients send booleans."""

    ALIASES = {"true": "yes", "1": "yes", "false": "no", "0": "no"}

    def to_python(self, value):
        value = super().to_python(value)
        return self.ALIASES.get(value.lower(), value) if isinstance(value, str) else value


@extend_schema_field(OpenApiTypes.BOOL)
class YesNoFilter(django_filters.ChoiceFilter):
    """`important=yes|no` on the pages, `important=true|false` from API clients; typed boolean in the
    schema, which is what generated clients send."""

    field_class = _YesNoField


def _filter_important(queryset, name, value):
    if value == "yes":
        return queryset.filter(important=True)
    if value == "no":
        return queryset.filter(important=False)
    return queryset


class _SortFilter(django_filters.ChoiceFilter):
    """Sort by a named key; "-key" reverses. The primary key breaks ties so pages never overlap."""

    def __init__(self, *args, orderings: dict[str, list], tie_breaker: str, **kwargs):
        self.orderings = orderings
        self.tie_breaker = tie_breaker
        choices = []
        for key in orderings:
            choices += [(key, key), (f"-{key}", f"-{key}")]
        super().__init__(*args, choices=choices, **kwargs)

    def filter(self, qs, value):
        key = value or next(iter(self.orderings))
        descending = key.startswith("-")
        expressions = self.orderings.get(key.lstrip("-"), [])
        ordering = []
        for expr in expressions:
            expr = F(expr) if isinstance(expr, str) else expr
            # NULLs (no budget) sort as the smallest value on both SQLite and PostgreSQL.
            ordering.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_first=True))
        ordering.append(F(self.tie_breaker).desc() if descending else F(self.tie_breaker).asc())
        return qs.order_by(*ordering)


@extend_schema_field(OpenApiTypes.INT)
class FiscalYearChoiceFilter(django_filters.ChoiceFilter):
    """A fiscal-year select; typed as an integer in the API schema (its choices are computed)."""


def _filter_ids(queryset, field: str, value: str):
    """Records by a comma-separated list of IDs (a cluster of similar systems, a chart's handful)."""
    ids = [v for v in (part.strip() for part in unicodedata.normalize("NFKC", value).split(",")) if v]
    if len(ids) > MAX_IDS:
        raise_bad_ids(len(ids))
    return queryset.filter(**{f"{field}__in": ids})


def raise_bad_ids(n: int):
    from mieruka.core.errors import BadQuery

    raise BadQuery(f"IDは{MAX_IDS}件までです（{n}件）", f"At most {MAX_IDS} IDs at a time (got {n})", parameter="ids")


def _in_operation_q(fy: int) -> Q:
    """Systems that ran in fiscal year `fy`: started by its end and not retired before it began (a system
    without dates counts when its status says it runs), as the dashboard's cloud chart counts them."""
    start, end = datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)
    started = Q(started_on__lte=end) | Q(started_on__isnull=True, status__in=["operation", "retiring"])
    retired_before = Q(retired_on__lt=start) | Q(retired_on__isnull=True, status="retired")
    return started & ~retired_before


class InformationSystemFilterSet(django_filters.FilterSet):
    """The systems list: organization subtree, classification, status, hosting, platform, important,
    Japanese keyword search (system ID too), budget range, budget lines, signals registered by other apps
    and the figures of a chosen fiscal year and stage, and sorting by any column."""

    SORT_KEYS = {
        "system_id": ["system_id"],
        "name": ["name_ja"],
        "organization": ["organization__order", "organization__code"],
        "classification": ["classification"],
        "status": ["status"],
        "hosting": ["hosting"],
        "budget": ["fy_budget"],
        "development": ["fy_development"],
        "operating": ["fy_operation"],
        "executed": ["fy_executed"],
        "rate": ["fy_rate"],
        "yoy": ["fy_yoy"],
        "fte": ["pjmo_fte"],
    }
    # The annotation each sort key and column reads.
    FIGURE_OF = {"budget": "fy_budget", "development": "fy_development", "operating": "fy_operation",
                 "executed": "fy_executed", "rate": "fy_rate", "yoy": "fy_yoy", "fte": "pjmo_fte"}

    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keyword", widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Searches system IDs, names and purpose; separate several words with spaces."),
    )
    organization = OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method=_filter_organization_subtree, field_name="organization_id", empty_label=_("All organizations"),
    )
    # The dashboard's grouped bars (独立行政法人等, 地方公共団体) and the ministries' own share link here.
    entity = django_filters.ChoiceFilter(
        label=_("Kind of owner"), choices=EntityGroup.choices, method="filter_entity", empty_label=_("All"),
    )
    classification = django_filters.ChoiceFilter(
        label=_("Classification"), choices=SystemClassification.choices, empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SystemStatus.choices, empty_label=_("All"))
    active = django_filters.ChoiceFilter(
        label=_("In use"), choices=ACTIVE_CHOICES, method="filter_active", empty_label=_("All"),
    )
    hosting = django_filters.ChoiceFilter(label=_("Hosting"), choices=Hosting.choices, empty_label=_("All"),
                                          method="filter_hosting")
    hosting_fy = FiscalYearChoiceFilter(
        label=_("Hosting as it was at the end of the fiscal year"), choices=fiscal_year_choices,
        method="filter_nothing", empty_label=_("Today"),
    )
    platform = django_filters.ModelChoiceFilter(
        label=_("Shared platform used"), field_name="platforms", to_field_name="code",
        queryset=SharedPlatform.objects.order_by("code"), empty_label=_("All"), method="filter_linked",
    )
    function_tag = django_filters.ModelChoiceFilter(
        label=_("Business function tags (業務機能分類)"), field_name="function_tags", to_field_name="code",
        queryset=BusinessFunction.objects.all(), empty_label=_("All"), method="filter_linked",
    )
    important = YesNoFilter(
        label=_("Important projects (重点)"), choices=IMPORTANT_CHOICES, method=_filter_important,
        empty_label=_("All"),
    )
    # The IT Dashboard's classifications, by code; `none` finds the systems not classified yet.
    processing_class = django_filters.ChoiceFilter(
        label=_("Information processing class (情報処理システム分類)"),
        choices=[*ProcessingClass.choices, NOT_CLASSIFIED], empty_label=_("All"), method="filter_classified",
    )
    architecture = django_filters.ChoiceFilter(
        label=_("System architecture (アーキテクチャ)"), choices=[*Architecture.choices, NOT_CLASSIFIED],
        empty_label=_("All"), method="filter_classified",
    )
    consolidation = django_filters.ChoiceFilter(
        label=_("Consolidation target (統廃合該非)"), choices=[*ConsolidationTarget.choices, NOT_CLASSIFIED],
        empty_label=_("All"), method="filter_classified",
    )
    platform_integration = django_filters.ChoiceFilter(
        label=_("Platform integration target (PF統合該非)"), choices=[*PlatformTarget.choices, NOT_CLASSIFIED],
        empty_label=_("All"), method="filter_classified",
    )
    signal = django_filters.ChoiceFilter(
        label=_("Signal"), choices=system_signals.choices, method="filter_signal", empty_label=_("All"),
    )
    budget_fy = FiscalYearChoiceFilter(
        label=_("Fiscal year of the budget"), choices=fiscal_year_choices, method="filter_nothing",
        empty_label=None,
    )
    stage = django_filters.ChoiceFilter(
        label=pgettext_lazy("budget", "Stage of the amounts"), choices=BudgetStage.choices,
        method="filter_nothing", empty_label=None,
    )
    has_budget = django_filters.ChoiceFilter(
        label=_("Has a budget line of the year"), choices=HAS_BUDGET_CHOICES, method="filter_has_budget",
        empty_label=_("All"),
    )
    in_operation = FiscalYearChoiceFilter(
        label=_("In operation in the fiscal year"), choices=fiscal_year_choices, method="filter_in_operation",
        empty_label=_("All"),
    )
    budget_min = django_filters.NumberFilter(
        label=_("Initial budget at least (million yen)"), method="filter_budget_min", min_value=0,
    )
    budget_max = django_filters.NumberFilter(
        label=_("Initial budget at most (million yen)"), method="filter_budget_max", min_value=0,
    )
    ids = django_filters.CharFilter(label=_("System IDs (comma-separated)"), method="filter_ids")
    # Shared links and saved views carry these, so a page's query string works on the API too: `fy` is
    # the short name of `budget_fy`, `cols` the columns shown (the page's column chooser).
    fy = FiscalYearChoiceFilter(label=_("Fiscal year of the budget"), choices=fiscal_year_choices,
                                method="filter_nothing", widget=forms.HiddenInput)
    cols = django_filters.MultipleChoiceFilter(
        label=_("Columns"), choices=[(c.key, c.label) for c in SYSTEM_COLUMNS], method="filter_nothing",
        widget=forms.MultipleHiddenInput)
    sort = _SortFilter(label=_("Sort by"), orderings=SORT_KEYS, tie_breaker="pk", empty_label=None)

    class Meta:
        model = InformationSystem
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, figures: set[str] | frozenset[str] = frozenset(), **kwargs):
        # Always bound, with the budget year defaulting to the current one, so that an empty query
        # still gets the budget column and default sort, and the year select shows the year in use.
        # `fy` is the short name of `budget_fy` in shared links (?fy=2026&sort=-operating).
        data = data.copy() if data is not None else {}
        if data.get("fy") and not data.get("budget_fy"):
            data["budget_fy"] = data["fy"]
        if not data.get("budget_fy"):
            data["budget_fy"] = str(current_fiscal_year())
        if not data.get("stage"):
            data["stage"] = BudgetStage.INITIAL
        self.extra_figures = set(figures)
        super().__init__(data=data, queryset=queryset, **kwargs)
        for field in self.form.fields.values():
            field.error_messages.update({
                "invalid_choice": bilingual("選択肢にない値です（%(value)s）", "Not one of the choices (%(value)s)"),
                "invalid": bilingual("数値を入力してください", "Enter a number"),
                "min_value": bilingual("%(limit_value)s 以上を入力してください",
                                       "Enter %(limit_value)s or more"),
            })

    @property
    def fiscal_year(self) -> int:
        """The fiscal year whose budget is shown and filtered: the chosen one, else the current one."""
        self.errors  # noqa: B018 - validates the form so cleaned_data exists
        value = self.form.cleaned_data.get("budget_fy")
        return int(value) if value else current_fiscal_year()

    @property
    def budget_stage(self) -> str:
        self.errors  # noqa: B018
        return self.form.cleaned_data.get("stage") or BudgetStage.INITIAL

    def _figures_needed(self) -> set[str]:
        data = self.form.cleaned_data
        needed = {"fy_budget"} | self.extra_figures
        sort_key = (data.get("sort") or "").lstrip("-")
        if sort_key in self.FIGURE_OF:
            needed.add(self.FIGURE_OF[sort_key])
        has = data.get("has_budget")
        if has:
            needed.add({"development": "fy_development", "operation": "fy_operation"}.get(has, "fy_budget"))
        return needed

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The figure columns, the range filters and the figure sorts all read the same annotations.
        queryset = system_figures_annotate(queryset, fiscal_year=self.fiscal_year, stage=self.budget_stage,
                                           names=self._figures_needed())
        queryset = super().filter_queryset(queryset)
        if "sort" not in self.form.cleaned_data:  # an invalid sort key falls back to the default order
            queryset = self.filters["sort"].filter(queryset, None)
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_classified(self, queryset, name, value):
        """An IT Dashboard classification by its code, or `none` for the systems not classified yet."""
        return queryset.filter(**{name: "" if value == NOT_CLASSIFIED[0] else value})

    def filter_linked(self, queryset, name, value):
        """Systems linked to `value` through the many-to-many `name`, as `pk IN (…)`: a join would need
        DISTINCT, which made the database count and sort the list's full rows (0.2 s at 50,000 systems)."""
        field = InformationSystem._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        return queryset.filter(pk__in=through.objects.filter(**{target: value}).values(f"{source}_id"))

    def filter_keyword(self, queryset, name, value):
        # Every term in the purpose, or the whole search in the ID, name or name's reading (こくぜい, kokuzei).
        terms = keyword_terms(value)
        return queryset.filter(keyword_q(value, ["name_ja", "name_en", "purpose"]) | system_search_q(terms))

    def filter_hosting(self, queryset, name, value):
        """Hosting today, or — with `hosting_fy` — at the end of that fiscal year, read from the change log
        (the dashboard's cloud chart counts systems by what they ran on then)."""
        fy = self.form.cleaned_data.get("hosting_fy")
        if not fy:
            return queryset.filter(hosting=value)
        end = timezone.make_aware(datetime.datetime(int(fy) + 1, 4, 1))
        moves = field_changes(model=InformationSystem, field="hosting", since=end,
                              pks=queryset.order_by().values("id"))
        then = [pk for pk, changes in moves.items() if changes[0][1] == value]
        return queryset.filter((Q(hosting=value) & ~Q(pk__in=list(moves))) | Q(pk__in=then))

    def filter_entity(self, queryset, name, value):
        grouped = organization_entity_groups()
        if value == EntityGroup.NATIONAL:
            return queryset.exclude(organization_id__in=list(grouped))
        return queryset.filter(organization_id__in=[pk for pk, (group, _e) in grouped.items() if group == value])

    def filter_active(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(status=SystemStatus.RETIRED)
        return queryset.filter(status=SystemStatus.RETIRED) if value == "no" else queryset

    def filter_signal(self, queryset, name, value: str):
        signal = system_signals.get(value)
        return signal.members(queryset, self.fiscal_year) if signal else queryset

    def filter_has_budget(self, queryset, name, value):
        column = {"development": "fy_development", "operation": "fy_operation"}.get(value, "fy_budget")
        return queryset.filter(**{f"{column}__isnull": False})

    def filter_in_operation(self, queryset, name, value):
        return queryset.filter(_in_operation_q(int(value)))

    def filter_ids(self, queryset, name, value):
        return _filter_ids(queryset, "system_id", value)

    def filter_budget_min(self, queryset, name, value):
        return queryset.filter(fy_budget__gte=int(Decimal(value) * MILLION))

    def filter_budget_max(self, queryset, name, value):
        return queryset.filter(fy_budget__lte=int(Decimal(value) * MILLION))


class ProjectFilterSet(django_filters.FilterSet):
    """The projects list: organization subtree, phase, important, keyword, signals registered by other apps,
    IDs, the fiscal year of the budget columns, and sorting by any column."""

    SORT_KEYS = {
        "project_id": ["project_id"],
        "name": ["name_ja"],
        "organization": ["organization__order", "organization__code"],
        "phase": ["phase"],
        "budget": ["fy_operation_budget"],
        "development": ["fy_development_budget"],
        "staff": ["pjmo_staff"],
        "external": ["pjmo_external"],
    }

    q = django_filters.CharFilter(
        label=_("Keyword"), method="filter_keyword", widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Searches project IDs, names, purpose and KPI; separate several words with spaces."),
    )
    organization = OrganizationCodeFilter(
        label=_("Organization (including sub-organizations)"),
        method=_filter_organization_subtree, field_name="organization_id", empty_label=_("All organizations"),
    )
    phase = django_filters.ChoiceFilter(label=_("Phase"), choices=ProjectPhase.choices, empty_label=_("All"))
    important = YesNoFilter(
        label=_("Important projects (重点)"), choices=IMPORTANT_CHOICES, method=_filter_important,
        empty_label=_("All"),
    )
    signal = django_filters.ChoiceFilter(
        label=_("Signal"), choices=project_signals.choices, method="filter_signal", empty_label=_("All"),
    )
    fy = FiscalYearChoiceFilter(
        label=_("Fiscal year of the budget"), choices=fiscal_year_choices, method="filter_nothing",
        empty_label=None,
    )
    ids = django_filters.CharFilter(label=_("Project IDs (comma-separated)"), method="filter_ids")
    cols = django_filters.MultipleChoiceFilter(
        label=_("Columns"), choices=[(c.key, c.label) for c in PROJECT_COLUMNS], method="filter_nothing",
        widget=forms.MultipleHiddenInput)
    sort = _SortFilter(label=_("Sort by"), orderings=SORT_KEYS, tie_breaker="pk", empty_label=None)

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("fy"):
            data["fy"] = str(current_fiscal_year())
        super().__init__(data=data, queryset=queryset, **kwargs)
        for field in self.form.fields.values():
            field.error_messages.update({
                "invalid_choice": bilingual("選択肢にない値です（%(value)s）", "Not one of the choices (%(value)s)"),
            })

    @property
    def fiscal_year(self) -> int:
        self.errors  # noqa: B018 - validates the form so cleaned_data exists
        value = self.form.cleaned_data.get("fy")
        return int(value) if value else current_fiscal_year()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        from mieruka.budgets.selectors import project_budget_subquery

        # The budget columns and sorts read the chosen year (the base queryset may carry another year's).
        queryset = queryset.annotate(
            fy_operation_budget=project_budget_subquery(fiscal_year=self.fiscal_year, stage=BudgetStage.INITIAL,
                                                        categories=[BudgetCategory.OPERATION]),
            fy_development_budget=project_budget_subquery(fiscal_year=self.fiscal_year, stage=BudgetStage.INITIAL,
                                                          categories=[BudgetCategory.DEVELOPMENT]),
        )
        queryset = super().filter_queryset(queryset)
        if "sort" not in self.form.cleaned_data:
            queryset = self.filters["sort"].filter(queryset, None)
        return queryset

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_keyword(self, queryset, name, value):
        terms = keyword_terms(value)
        return queryset.filter(keyword_q(value, ["name_ja", "purpose", "kpi_name"]) | project_search_q(terms))

    def filter_signal(self, queryset, name, value: str):
        signal = project_signals.get(value)
        return signal.members(queryset, self.fiscal_year) if signal else queryset

    def filter_ids(self, queryset, name, value):
        return _filter_ids(queryset, "project_id", value)


class InterfaceFilterSet(django_filters.FilterSet):
    """Links between systems: touching a system (either end), from or to a system, by kind."""

    system = django_filters.CharFilter(label=_("System ID at either end"), method="filter_system")
    from_system = django_filters.CharFilter(label=_("System ID it starts from"), field_name="from_system__system_id")
    to_system = django_filters.CharFilter(label=_("System ID it goes to"), field_name="to_system__system_id")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InterfaceKind.choices, empty_label=_("All"))

    class Meta:
        model = Interface
        fields: list[str] = []

    def filter_system(self, queryset, name, value):
        return queryset.filter(Q(from_system__system_id=value) | Q(to_system__system_id=value))
