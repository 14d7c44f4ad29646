"""Reads of contracts: the list (with what its rows show) and one contract."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from mieruka.budgets.models import BudgetLine
from mieruka.core.errors import local_name
from mieruka.core.permissions import scope_queryset
from mieruka.core.selectors import field_changes
from mieruka.inventory.choices import Hosting
from mieruka.inventory.models import InformationSystem
from mieruka.organizations.models import Organization

from . import execution
from .cloud import fiscal_months, migration_effect, run_rate_forecast
from .insight import Row
from .models import CloudUsage, Contract


def _ministries():
    """Every organization (pk → parent, code, name) and a function giving the code of the top of its tree."""
    # Names in the reader's language: the procurement and execution charts label ministries with them.
    organizations = {pk: (parent, code, local_name(name_ja, name_en)) for pk, parent, code, name_ja, name_en in
                     Organization.objects.values_list("id", "parent_id", "code", "name_ja", "name_en")}

    def top(pk):
        seen = set()
        while organizations[pk][0] is not None and pk not in seen:
            seen.add(pk)
            pk = organizations[pk][0]
        return organizations[pk][1]

    return organizations, top


def contract_list() -> QuerySet[Contract]:
    """Contracts with their organization, project and systems (IDs and names only) loaded."""
    return Contract.objects.select_related("organization", "project").prefetch_related(
        Prefetch("systems", queryset=InformationSystem.objects.only("id", "system_id", "name_ja").order_by("system_id"))
    )


def contract_visible_list(*, user) -> QuerySet[Contract]:
    """The contracts this person may read: those of organizations in their scope."""
    return scope_queryset(user, contract_list())


def contract_get(*, user, contract_number: str) -> Contract | None:
    return contract_visible_list(user=user).filter(contract_number=contract_number).first()


def procurement_rows(*, user, fiscal_year: int | None = None) -> tuple[list, dict[str, str]]:
    """The contracts this person may read as `insight.Row`s, and ministry code → name.

    A contract's ministry is the top of its organization's tree (a bureau's contracts count for its ministry).
    """
    organizations, top = _ministries()

    queryset = contract_visible_list(user=user).order_by()
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    systems: dict[int, list[str]] = {}
    for contract_pk, system_id in Contract.systems.through.objects.filter(
            contract_id__in=queryset.values("pk")).values_list("contract_id", "informationsystem__system_id"):
        systems.setdefault(contract_pk, []).append(system_id)
    rows = [
        Row(pk=pk, ministry=top(org), fiscal_year=fy, method=method, single_bid=single, vendor=vendor,
            vendor_name=name, amount_yen=amount, award_rate=rate, category=category,
            system_ids=tuple(sorted(systems.get(pk, []))))
        for pk, org, fy, method, single, vendor, name, amount, rate, category in queryset.values_list(
            "pk", "organization_id", "fiscal_year", "method", "single_bid", "vendor_corporate_number",
            "vendor_name", "amount_yen", "award_rate", "category")
    ]
    names = {code: name for _, code, name in organizations.values()}
    return rows, names


def organization_order() -> dict[str, int | None]:
    """Organization code → official order (建制順), for listing ministries as the government does."""
    return dict(Organization.objects.values_list("code", "order"))


def system_cloud_forecast(*, system, fiscal_year: int):
    """A system's monthly cloud charges in a fiscal year against its initial 運用等経費 budget, with the
    run-rate forecast to year end (`cloud.Forecast`)."""
    months = fiscal_months(fiscal_year)
    monthly: dict = {}
    for month, amount in (CloudUsage.objects.filter(system=system, month__gte=months[0], month__lte=months[-1])
                          .values_list("month", "amount_yen")):
        monthly[month] = monthly.get(month, 0) + amount
    budget = BudgetLine.objects.filter(system=system, fiscal_year=fiscal_year, category="operation",
                                       stage="initial").aggregate(total=Sum("amount_yen"))["total"]
    return run_rate_forecast(fiscal_year=fiscal_year, monthly=monthly, budget=budget)


def execution_lines(*, user, category: str | None = None) -> tuple[list[tuple], dict[str, str], dict[str, str]]:
    """The budget lines (system ID, FY, stage, amount) of the systems this person may read, with each
    system's ministry code and the ministry names."""
    organizations, top = _ministries()

    systems = scope_queryset(user, InformationSystem.objects.order_by())
    ministry_of = {sid: top(org) for sid, org in systems.values_list("system_id", "organization_id")}
    lines = BudgetLine.objects.filter(system__in=systems.values("pk"), stage__in=execution.STAGES)
    if category:
        lines = lines.filter(category=category)
    rows = list(lines.order_by().values_list("system__system_id", "fiscal_year", "stage", "amount_yen"))
    return rows, ministry_of, {code: name for _, code, name in organizations.values()}


def cloud_migrations(*, user) -> list[dict]:
    """Systems this person may read that moved to the government cloud, with their operating cost before
    and after the move (`cloud.migration_effect`). The date of the move is the recorded change of hosting
    to the government cloud (the audit trail), so a system registered on the cloud has no "before"."""
    systems = scope_queryset(user, InformationSystem.objects.filter(hosting=Hosting.GOVERNMENT_CLOUD).order_by())
    moves = field_changes(model=InformationSystem, field="hosting", pks=systems.values("pk"))
    moved_on = {}
    for pk, changes in moves.items():
        arrivals = [time for time, _, after in changes if after == Hosting.GOVERNMENT_CLOUD]
        if arrivals:
            moved_on[pk] = timezone.localdate(arrivals[-1])
    operating: dict[int, dict[int, dict[str, int]]] = {}
    for pk, fy, stage, total in (BudgetLine.objects.filter(system_id__in=list(moved_on), category="operation",
                                                           stage__in=("initial", "executed"))
                                 .values("system_id", "fiscal_year", "stage").annotate(total=Sum("amount_yen"))
                                 .values_list("system_id", "fiscal_year", "stage", "total")):
        operating.setdefault(pk, {}).setdefault(fy, {})[stage] = total
    organizations, top = _ministries()
    names = {code: name for _, code, name in organizations.values()}
    out = []
    for s in systems.filter(pk__in=list(moved_on)).only("pk", "system_id", "name_ja", "name_en", "organization_id"):
        # A settled year counts what was executed; a year not yet settled, its initial budget.
        by_year = {fy: stages.get("executed", stages.get("initial", 0)) for fy, stages in operating.get(s.pk, {}).items()}
        ministry = top(s.organization_id)
        out.append({"system": s, "ministry": ministry, "ministry_name": names.get(ministry, ministry),
                    "effect": migration_effect(migrated_on=moved_on[s.pk], operating=by_year)})
    out.sort(key=lambda r: (r["effect"].reduction is None, r["effect"].reduction or 0, r["system"].system_id))
    return out


def cloud_usage_list() -> QuerySet[CloudUsage]:
    """Cloud charges with their systems, in the order of a billing statement."""
    return CloudUsage.objects.select_related("system").order_by("system__system_id", "month", "account",
                                                                 "service_category", "pk")
