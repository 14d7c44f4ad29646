"""Reads of services and indicators: lists in scope, each indicator's years and achievement, the off-target
dashboard by ministry, and the outcome indicators of projects (for the monitoring signal)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization

from . import achievement
from .choices import KpiLevel
from .models import Kpi, KpiValue, Service


def _top_of():
    """A function giving, for an organization pk, the (code, name_ja, name_en, order) of the top of its tree."""
    organizations = {pk: (parent, code, ja, en, order) for pk, parent, code, ja, en, order in
                     Organization.objects.values_list("id", "parent_id", "code", "name_ja", "name_en", "order")}

    def top(pk):
        seen = set()
        while organizations[pk][0] is not None and pk not in seen:
            seen.add(pk)
            pk = organizations[pk][0]
        return organizations[pk][1:]

    return top


def service_visible_list(*, user) -> QuerySet[Service]:
    """The services this person may read, with their organization, systems and indicator count."""
    # Only the systems the reader may see: a ministry's service may run on another ministry's system.
    systems = scope_queryset(user, InformationSystem.objects.only("id", "system_id", "name_ja", "name_en",
                                                                  "organization_id").order_by("system_id"))
    return scope_queryset(user, Service.objects.select_related("organization").prefetch_related(
        Prefetch("systems", queryset=systems)).annotate(kpi_count=Count("kpis", distinct=True)))


def service_get(*, user, code: str) -> Service | None:
    return service_visible_list(user=user).filter(code=code).first()


def kpi_visible_list(*, user) -> QuerySet[Kpi]:
    """The indicators this person may read (their organization's scope), with values loaded."""
    return scope_queryset(user, Kpi.objects.select_related("organization", "service", "project").prefetch_related(
        Prefetch("values", queryset=KpiValue.objects.order_by("fiscal_year"))))


def kpi_get(*, user, code: str) -> Kpi | None:
    return kpi_visible_list(user=user).prefetch_related("derived_from", "derived").filter(code=code).first()


def kpi_results(kpi: Kpi) -> list[achievement.YearResult]:
    """Every year of one indicator (values prefetched), with the target in force and the achievement rate."""
    return achievement.year_results(
        values=[achievement.YearValue(v.fiscal_year, v.target, v.actual, v.actual_withheld) for v in kpi.values.all()],
        direction=kpi.direction, target_year=kpi.target_year, target_value=kpi.target_value)


@dataclass
class KpiRow:
    kpi: Kpi
    results: list[achievement.YearResult]
    latest: achievement.YearResult | None
    off_target: bool
    ministry: tuple  # (code, name_ja, name_en, order) of the top of the owning organization's tree


def kpi_rows(*, queryset, threshold: Decimal = achievement.OFF_TARGET_BELOW) -> list[KpiRow]:
    """Each indicator with its years, its latest year with an actual and whether that year is off target."""
    kpis = list(queryset)
    if not kpis:
        return []  # no organization tree to read (the project page asks for every project)
    top = _top_of()
    rows = []
    for kpi in kpis:
        results = kpi_results(kpi)
        latest = achievement.latest_with_data(results)
        rows.append(KpiRow(kpi=kpi, results=results, latest=latest,
                           off_target=achievement.is_off_target(latest, threshold=threshold),
                           ministry=top(kpi.organization_id)))
    return rows


def off_target_by_ministry(*, rows: list[KpiRow]) -> list[dict]:
    """Per ministry (建制順): indicators, those with a rate in their latest year, and those off target."""
    out: dict[str, dict] = {}
    for row in rows:
        code, name_ja, name_en, order = row.ministry
        cell = out.setdefault(code, {"code": code, "name_ja": name_ja, "name_en": name_en, "order": order,
                                     "total": 0, "rated": 0, "off_target": 0})
        cell["total"] += 1
        if row.latest is not None and row.latest.rate is not None:
            cell["rated"] += 1
        if row.off_target:
            cell["off_target"] += 1
    for cell in out.values():
        cell["share"] = (Decimal(cell["off_target"]) * 100 / cell["rated"]).quantize(Decimal("0.1")) \
            if cell["rated"] else None
    return sorted(out.values(), key=lambda c: (c["order"] is None, c["order"] or 0, c["code"]))


@dataclass(frozen=True)
class ProjectOutcomeFacts:
    """A project's outcome indicators as the monitoring signal reads them."""

    total: int  # outcome indicators with a rate in their latest year
    off_target: tuple[str, ...]  # their codes, for the explanation


def project_outcome_facts(*, project_ids: list[int], up_to_year: int | None = None) -> dict[int, ProjectOutcomeFacts]:
    """Outcome-level indicators of the projects, reading years up to `up_to_year` (the signal's as-of year);
    projects without a rated outcome indicator are left out."""
    values = KpiValue.objects.order_by("fiscal_year")
    if up_to_year is not None:
        values = values.filter(fiscal_year__lte=up_to_year)
    queryset = Kpi.objects.filter(project_id__in=project_ids, level=KpiLevel.OUTCOME).prefetch_related(
        Prefetch("values", queryset=values)).order_by("code")
    totals: dict[int, list] = {}
    for kpi in queryset:
        latest = achievement.latest_with_data(kpi_results(kpi))
        if latest is None or latest.rate is None:
            continue
        entry = totals.setdefault(kpi.project_id, [0, []])
        entry[0] += 1
        if achievement.is_off_target(latest):
            entry[1].append(kpi.code)
    return {pid: ProjectOutcomeFacts(total=n, off_target=tuple(codes)) for pid, (n, codes) in totals.items()}
