"""Reads of systems, projects and interfaces: list querysets, detail pages, history and past states."""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from mieruka.budgets.choices import BudgetCategory, BudgetStage
from mieruka.budgets.models import BudgetLine
from mieruka.budgets.selectors import (
    budget_table_for_systems,
    budget_table_from_states,
    system_budget_subquery,
)
from mieruka.core.choices import ChangeSource
from mieruka.core.formatting import fiscal_year_of
from mieruka.core.history import ValueFormatter, changes_with_fields
from mieruka.core.models import ObjectChange
from mieruka.core.selectors import (
    changes_readable_by,
    object_history,
    object_state_as_of,
    related_states_as_of,
)
from mieruka.organizations.models import Organization

from .models import (
    BusinessFunction,
    DesignationProposal,
    InformationSystem,
    Interface,
    PreviousSystemId,
    Project,
    SharedPlatform,
)
from .taxonomy import suggest_functions


def current_fiscal_year() -> int:
    return fiscal_year_of(timezone.localdate())


def system_list() -> QuerySet[InformationSystem]:
    """Systems with what every list row shows: organization and platform codes."""
    # The organization's parent too: for a 独法 it is the supervising ministry (所管府省), shown beside it.
    return InformationSystem.objects.select_related("organization__parent").prefetch_related(
        "platforms", "function_tags")


def suggested_function_tags(*, name: str, purpose: str = "", functions: list[str] | tuple[str, ...] = ()):
    """The business functions the text of a system points to, strongest first (a person confirms them)."""
    codes = suggest_functions(name=name, purpose=purpose, functions=functions)
    found = {f.code: f for f in BusinessFunction.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def system_by_any_id(*, queryset: QuerySet[InformationSystem], system_id: str) -> InformationSystem | None:
    """A system by its current ID, else by one it had before a rename (within `queryset`)."""
    return (queryset.filter(system_id=system_id).first()
            or queryset.filter(previous_ids__code=system_id).first())


def proposal_list() -> QuerySet[DesignationProposal]:
    return DesignationProposal.objects.select_related("system", "system__organization", "project",
                                                      "project__organization", "proposed_by", "decided_by")


def system_get(*, system_id: str) -> InformationSystem:
    return get_object_or_404(
        InformationSystem.objects.select_related("organization", "organization__parent").prefetch_related(
            "platforms", "function_tags"
        ),
        system_id=system_id,
    )


def system_budget_table(*, system: InformationSystem) -> dict:
    """The system's budget by FY × stage × category (appropriations summed)."""
    return budget_table_for_systems(system_ids=[system.pk])


def system_projects(*, system: InformationSystem) -> QuerySet[Project]:
    return system.projects.select_related("organization").order_by("project_id")


def system_interfaces(*, system: InformationSystem) -> dict[str, list[Interface]]:
    """Links out of and into a system, with the system at the other end loaded."""
    return {
        "out": list(Interface.objects.filter(from_system=system).select_related("to_system")
                    .order_by("to_system__system_id", "kind")),
        "in": list(Interface.objects.filter(to_system=system).select_related("from_system")
                   .order_by("from_system__system_id", "kind")),
    }


def interface_list() -> QuerySet[Interface]:
    """Links between systems with both ends loaded (lists, API, exports)."""
    return Interface.objects.select_related("from_system", "to_system")


def history_with_diffs(*, instance, limit: int = 10, user=None) -> list[dict]:
    """The last changes to a record (and records pointing at it), each with a field-level diff.

    Fields the `user` may not see (restricted fields without clearance) are left out of the diff."""
    return [{"change": change, "diffs": fields,
             "model_name": model._meta.verbose_name if (model := change.changed_object_type.model_class()) else ""}
            for change, fields in changes_with_fields(
                changes_readable_by(object_history(instance=instance), user=user)[:limit], user=user)]


def system_as_of(*, system: InformationSystem, when: datetime.date, hidden: frozenset = frozenset()) -> dict | None:
    """A system's fields and budget as they stood at the end of `when`, with labels resolved; None if it
    did not exist yet (or was never recorded in the trail)."""
    state = object_state_as_of(model=InformationSystem, pk=system.pk, when=when)
    if state is None:
        return None
    meta = InformationSystem._meta
    org = Organization.objects.filter(pk=state.get("organization")).first()
    formatter = ValueFormatter()
    fields = []
    for key, value in state.items():
        if key in hidden:
            continue
        try:
            field = meta.get_field(key)
        except Exception:  # noqa: BLE001 - a field removed since then: show it under its stored name
            fields.append({"name": key, "label": key, "value": formatter.format(None, key, value)})
            continue
        fields.append({"name": key, "label": field.verbose_name, "value": formatter.format(InformationSystem, key, value),
                       "changed": value != _current_value(system, field)})
    lines = related_states_as_of(instance=system, model=BudgetLine, when=when)
    return {"fields": fields, "organization": org, "budget": budget_table_from_states(states=lines.values())}


def _current_value(system: InformationSystem, field):
    if field.many_to_many:
        return sorted(o.pk for o in getattr(system, field.name).all())
    value = field.value_from_object(system)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def project_list(*, fiscal_year: int | None = None) -> QuerySet[Project]:
    """Projects with their organization, systems, and the systems' operating budget of a fiscal year."""
    from mieruka.budgets.selectors import project_budget_subquery

    fy = fiscal_year or current_fiscal_year()
    return (
        Project.objects.select_related("organization")
        .prefetch_related("systems")
        .annotate(fy_operation_budget=project_budget_subquery(
            fiscal_year=fy, stage=BudgetStage.INITIAL, categories=[BudgetCategory.OPERATION]))
    )


def project_get(*, project_id: str) -> Project:
    return get_object_or_404(Project.objects.select_related("organization"), project_id=project_id)


def project_systems(*, project: Project, fiscal_year: int) -> QuerySet[InformationSystem]:
    """The systems a project covers, each with its initial development and operating budget of a FY."""
    return (
        project.systems.select_related("organization")
        .annotate(
            fy_development=system_budget_subquery(fiscal_year=fiscal_year, categories=[BudgetCategory.DEVELOPMENT]),
            fy_operation=system_budget_subquery(fiscal_year=fiscal_year, categories=[BudgetCategory.OPERATION]),
        )
        .order_by("system_id")
    )


def platform_list() -> QuerySet[SharedPlatform]:
    return SharedPlatform.objects.order_by("code")


def system_budget_lines(*, system: InformationSystem) -> QuerySet[BudgetLine]:
    """A system's budget lines, newest year first, for the budget editing page."""
    return BudgetLine.objects.filter(system=system).order_by("-fiscal_year", "stage", "category", "appropriation")


# ---------------------------------------------------------------- figures of the systems list

# The per-system figures the list can show, sort and filter by; each is one correlated subquery (or an
# expression over them), added only when the page needs it, so a plain list stays a plain query.
SYSTEM_FIGURES = ("fy_budget", "fy_development", "fy_operation", "fy_executed", "fy_available",
                  "prev_budget", "fy_rate", "fy_yoy", "pjmo_fte")
_FIGURE_NEEDS = {"fy_rate": ("fy_executed", "fy_available"), "fy_yoy": ("fy_budget", "prev_budget")}
AVAILABLE_STAGES = (BudgetStage.INITIAL, BudgetStage.SUPPLEMENTARY, BudgetStage.CARRYOVER)


def system_figures_annotate(queryset: QuerySet, *, fiscal_year: int, stage: str = BudgetStage.INITIAL,
                            names: set[str] | frozenset[str] = frozenset()) -> QuerySet:
    """Annotate the figures `names` (from SYSTEM_FIGURES) of `fiscal_year`, amounts at `stage`.

    fy_budget / fy_development / fy_operation: the stage's total, 整備等経費, 運用等経費 (yen);
    fy_executed / fy_available: executed and available (initial + supplementary + carried over);
    fy_rate: executed ÷ available in %; prev_budget / fy_yoy: the stage's total a year before and the change
    in %; pjmo_fte: the PJMO staff (internal + external FTE) of the projects covering the system.
    """
    from django.db.models import Case, ExpressionWrapper, F, FloatField, When

    wanted = set(names)
    for name in list(wanted):
        wanted.update(_FIGURE_NEEDS.get(name, ()))
    builders = {
        "fy_budget": lambda: system_budget_subquery(fiscal_year=fiscal_year, stage=stage),
        "fy_development": lambda: system_budget_subquery(fiscal_year=fiscal_year, stage=stage,
                                                         categories=[BudgetCategory.DEVELOPMENT]),
        "fy_operation": lambda: system_budget_subquery(fiscal_year=fiscal_year, stage=stage,
                                                       categories=[BudgetCategory.OPERATION]),
        "fy_executed": lambda: system_budget_subquery(fiscal_year=fiscal_year, stage=BudgetStage.EXECUTED),
        "fy_available": lambda: system_budget_subquery(fiscal_year=fiscal_year, stages=AVAILABLE_STAGES),
        "prev_budget": lambda: system_budget_subquery(fiscal_year=fiscal_year - 1, stage=stage),
        "pjmo_fte": _pjmo_fte_subquery,
    }
    present = set(queryset.query.annotations)
    plain = {name: builders[name]() for name in SYSTEM_FIGURES if name in wanted and name in builders
             and name not in present}
    if plain:
        queryset = queryset.annotate(**plain)
    derived = {}
    if "fy_rate" in wanted and "fy_rate" not in present:
        derived["fy_rate"] = Case(
            When(fy_available__gt=0, fy_executed__isnull=False,
                 then=ExpressionWrapper(F("fy_executed") * 100.0 / F("fy_available"), output_field=FloatField())),
            default=None, output_field=FloatField())
    if "fy_yoy" in wanted and "fy_yoy" not in present:
        derived["fy_yoy"] = Case(
            When(prev_budget__gt=0, fy_budget__isnull=False,
                 then=ExpressionWrapper((F("fy_budget") - F("prev_budget")) * 100.0 / F("prev_budget"),
                                        output_field=FloatField())),
            default=None, output_field=FloatField())
    return queryset.annotate(**derived) if derived else queryset


def _pjmo_fte_subquery():
    from django.db.models import DecimalField, F, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from mieruka.budgets.selectors import _SumNoGroup

    links = Project.systems.through.objects.filter(informationsystem_id=OuterRef("pk"))
    fte = Coalesce(F("project__pjmo_staff"), Value(0), output_field=DecimalField()) + Coalesce(
        F("project__pjmo_external"), Value(0), output_field=DecimalField())
    total = links.order_by().annotate(total=_SumNoGroup(fte, output_field=DecimalField())).values("total")[:1]
    return Subquery(total, output_field=DecimalField(max_digits=9, decimal_places=2))


def system_list_totals(queryset: QuerySet, *, fiscal_year: int, stage: str = BudgetStage.INITIAL,
                       count: int | None = None) -> dict:
    """Count and amounts of a whole filtered list (every page): what a chart that links here showed.

    One grouped query over the budget lines of the listed systems, not a sum over annotated rows."""
    from django.db.models import Sum

    ids = queryset.order_by().values("pk")
    by_category = dict(
        BudgetLine.objects.filter(system_id__in=ids, fiscal_year=fiscal_year, stage=stage).order_by()
        .values_list("category").annotate(total=Sum("amount_yen"))
    )
    development = by_category.get(BudgetCategory.DEVELOPMENT) or 0
    operation = by_category.get(BudgetCategory.OPERATION) or 0
    return {"count": queryset.count() if count is None else count, "development": development, "operation": operation,
            "total": development + operation}


# ---------------------------------------------------------------- search by ID, name and reading


def _names_version(model) -> str:
    """Changes whenever a record of `model` is added, removed or changed (names included)."""
    from django.db.models import Count, Max

    stats = model.objects.order_by().aggregate(n=Count("id"), top=Max("id"), last=Max("last_updated"))
    return f"{stats['n']}.{stats['top']}.{stats['last'].isoformat() if stats['last'] else '-'}"


def system_search_q(terms: list[str]):
    """Systems whose ID (current or previous), name or name's reading (かな, romaji) matches every term."""
    from django.db.models import Q

    from mieruka.core.search import reading_matches_pks

    q = Q()
    for term in terms:
        previous = PreviousSystemId.objects.filter(code__icontains=term).values("system_id")
        q &= (Q(system_id__icontains=term) | Q(name_ja__icontains=term) | Q(name_en__icontains=term)
              | Q(pk__in=previous))
    by_reading = reading_matches_pks(
        key="systems", version=_names_version(InformationSystem), terms=terms,
        rows=lambda: InformationSystem.objects.order_by().values_list("pk", "name_ja").iterator(chunk_size=5000))
    return q | Q(pk__in=by_reading) if by_reading else q


def project_search_q(terms: list[str]):
    """Projects whose ID, name or name's reading matches every term."""
    from django.db.models import Q

    from mieruka.core.search import reading_matches_pks

    q = Q()
    for term in terms:
        q &= Q(project_id__icontains=term) | Q(name_ja__icontains=term)
    by_reading = reading_matches_pks(
        key="projects", version=_names_version(Project), terms=terms,
        rows=lambda: Project.objects.order_by().values_list("pk", "name_ja").iterator(chunk_size=5000))
    return q | Q(pk__in=by_reading) if by_reading else q


def portfolio_version() -> str:
    """A token that changes whenever portfolio data changes: five primary-key lookups, no scans.

    Every write is audited, so the newest change-log row moves with any update or delete; the newest
    row of each main table also catches records added without an audit row (bulk loads, fixtures).
    Sign-in rows are left out: they change no figure, and counting them made every login recompute.
    """
    # One statement of five scalar subqueries: this runs on every list and dashboard request.
    newest = [qs.order_by("-id").values("id")[:1].query.sql_with_params()
              for qs in (ObjectChange.objects.exclude(source=ChangeSource.AUTH), BudgetLine.objects,
                         InformationSystem.objects, Project.objects, Organization.objects)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({sql})" for sql, _ in newest),
                       [p for _, params in newest for p in params])
        parts = cursor.fetchone()
    return ".".join(str(p or 0) for p in parts)


def list_version(extras) -> str:
    """The data version of a list's cached rows (`core.listcache`): the portfolio's, and that of what other
    apps add to each row (`extras`, a `ListExtras`) outside the audit trail."""
    return f"{portfolio_version()}|{extras.version()}"
