"""Every URL pattern of the URLconf, for tests that must visit each page (scope, fuzzing).

A test that walks `routes()` notices a page added later: it must either be given parameters to visit
it with or be listed with the reason it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name ("inventory:system_detail"); the route itself if unnamed
    route: str  # "systems/<str:system_id>/"
    params: tuple[str, ...]  # the path parameters, in order

    def url(self, **kwargs) -> str:
        return reverse(self.name, kwargs=kwargs or None)


def _walk(patterns, prefix: str, namespaces: tuple[str, ...]):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            params = tuple(entry.pattern.regex.groupindex)
            name = ":".join((*namespaces, entry.name)) if entry.name else route
            yield Route(name=name, route=route, params=params)


def routes() -> list[Route]:
    """Every URL pattern, each once (a name routed twice, as DRF's format variants are, counts once)."""
    seen, out = set(), []
    for r in _walk(get_resolver().url_patterns, "", ()):
        if r.name not in seen:
            seen.add(r.name)
            out.append(r)
    return out


# --- How to visit each page ---------------------------------------------------------------------------
# Path parameters: route name → (the records to take them from, the lookup to their organization or None
# for records everyone who may use the page reads, and how a record becomes the parameters).


def _records():
    from mieruka.agencies.models import GssMigration
    from mieruka.api.models import ApiToken, WebhookSubscription
    from mieruka.budgets.models import BudgetLine
    from mieruka.contracts.models import CloudUsage, Contract
    from mieruka.core.models import ObjectChange, SavedView
    from mieruka.inventory.models import InformationSystem, Interface, Project, SharedPlatform
    from mieruka.monitoring.models import StatusReport
    from mieruka.municipal.models import MunicipalMigration
    from mieruka.organizations.models import Organization
    from mieruka.outcomes.models import Kpi, Service
    from mieruka.plans.models import Decision, Initiative, MidTermPlan
    from mieruka.reporting.models import Answer, Campaign, Return, Survey, SurveyRecipient
    from mieruka.restraint.models import ExcessiveRequestFlag, ExplanationRequest
    from mieruka.reviews.models import Finding, Review
    from mieruka.security.models import SecurityFinding
    from mieruka.staffing.models import DigitalStaffing
    from mieruka.tasks.models import TaskRun

    system = (InformationSystem.objects.all(), "organization", lambda o: {"system_id": o.system_id})
    project = (Project.objects.all(), "organization", lambda o: {"project_id": o.project_id})
    important = (Project.objects.filter(important=True), "organization", lambda o: {"project_id": o.project_id})
    review = (Review.objects.all(), "project__organization", lambda o: {"pk": o.pk})
    campaign = (Campaign.objects.all(), None, lambda o: {"pk": o.pk})
    ret = (Return.objects.all(), "organization", lambda o: {"pk": o.pk})
    survey = (Survey.objects.all(), None, lambda o: {"pk": o.pk})
    change = (ObjectChange.objects.filter(changed_object_type__model="informationsystem"),
              "informationsystem", lambda o: {"pk": o.pk})
    # A task is seen by the person who started it (and administrators): "in scope" is a task started by someone
    # of the person's organization, "out of scope" one started by someone of another.
    task = (TaskRun.objects.all(), "user__mieruka_role__organization", lambda o: {"pk": o.pk})
    return {
        **{f"inventory:system_{v}": system for v in ("detail", "edit", "delete", "budget", "interfaces", "as_of",
                                                      "rename", "retire", "propose")},
        # POST-only API actions: a GET is answered 405 and must name no record.
        **{f"api:system-{v}": system for v in ("rename", "retire")},
        **{f"tasks:{v}": task for v in ("detail", "status", "download")},
        **{f"api:task-{v}": task for v in ("detail", "file")},
        # Webhooks are for administrators; "in scope" is a subscription owned by someone of the organization.
        **{f"api:webhook-{v}": (WebhookSubscription.objects.all(), "user__mieruka_role__organization",
                                lambda o: {"pk": o.pk}) for v in ("detail", "deliveries")},
        **{f"inventory:project_{v}": project for v in ("detail", "edit", "delete", "propose")},
        "organizations:detail": (Organization.objects.all(), "id", lambda o: {"code": o.code}),
        "agencies:ministry": (Organization.objects.filter(kind__in=("ministry", "digital_agency")), "id",
                              lambda o: {"code": o.code}),
        "agencies:gss_detail": (GssMigration.objects.all(), "organization", lambda o: {"lan_code": o.lan_code}),
        **{name: (MunicipalMigration.objects.all(), "organization", lambda o: {"pk": o.pk})
           for name in ("municipal:edit", "api:municipal-migration-detail")},
        **{f"outcomes:service_{v}": (Service.objects.all(), "organization", lambda o: {"code": o.code})
           for v in ("detail", "edit")},
        **{f"outcomes:kpi_{v}": (Kpi.objects.all(), "organization", lambda o: {"code": o.code})
           for v in ("detail", "edit", "value")},
        **{f"plans:{v}": (MidTermPlan.objects.all(), "organization", lambda o: {"code": o.code})
           for v in ("detail", "edit", "initiative_create")},
        **{f"plans:initiative_{v}": (Initiative.objects.select_related("plan"), "plan__organization",
                                     lambda o: {"code": o.plan.code, "initiative_code": o.code})
           for v in ("detail", "edit")},
        **{f"monitoring:{v}": important for v in ("project", "report_create", "baseline_create")},
        **{f"reviews:{v}": review for v in ("detail", "transition", "checklist", "finding_create", "follow_up")},
        "reviews:finding_update": (Finding.objects.all(), "project__organization", lambda o: {"pk": o.pk}),
        **{f"reporting:campaign_{v}": campaign for v in ("detail", "open", "close")},
        **{f"reporting:return_{v}": ret for v in ("detail", "submit", "accept", "send_back")},
        "reporting:record_confirm": (InformationSystem.objects.all(), "organization",
                                     lambda o: {"model": "inventory.informationsystem", "pk": o.pk}),
        **{f"reporting:survey_{v}": survey for v in ("detail", "open", "close")},
        "reporting:survey_export": (Survey.objects.all(), None, lambda o: {"pk": o.pk, "fmt": "csv"}),
        "reporting:survey_answer": (SurveyRecipient.objects.all(), "organization", lambda o: {"pk": o.pk}),
        "reporting:survey_file": (Answer.objects.exclude(file=""), "recipient__organization",
                                  lambda o: {"pk": o.pk}),
        "api:organization-detail": (Organization.objects.all(), "id", lambda o: {"code": o.code}),
        "api:platform-detail": (SharedPlatform.objects.all(), None, lambda o: {"code": o.code}),
        "api:system-detail": system,
        "api:system-as-of": system,
        "contracts:system_cloud": system,
        "security:system": system,
        "api:security-finding-detail": (SecurityFinding.objects.all(), "system__organization",
                                        lambda o: {"finding_id": o.finding_id}),
        "api:gss-migration-detail": (GssMigration.objects.all(), "organization", lambda o: {"lan_code": o.lan_code}),
        "api:service-detail": (Service.objects.all(), "organization", lambda o: {"code": o.code}),
        "api:kpi-detail": (Kpi.objects.all(), "organization", lambda o: {"code": o.code}),
        "api:digital-staffing-detail": (DigitalStaffing.objects.all(), "organization", lambda o: {"pk": o.pk}),
        **{name: (Contract.objects.all(), "organization", lambda o: {"contract_number": o.contract_number})
           for name in ("contracts:detail", "api:contract-detail")},
        "api:project-detail": project,
        "api:interface-detail": (Interface.objects.all(), "from_system__organization", lambda o: {"pk": o.pk}),
        "api:budget-line-detail": (BudgetLine.objects.all(), "system__organization", lambda o: {"pk": o.pk}),
        "api:cloud-usage-detail": (CloudUsage.objects.all(), "system__organization", lambda o: {"pk": o.pk}),
        "api:change-detail": change,
        **{f"api:review-{v}": review for v in ("detail", "transition", "follow-up", "checklist")},
        "api:finding-detail": (Finding.objects.all(), "project__organization", lambda o: {"pk": o.pk}),
        "api:status-report-detail": (StatusReport.objects.all(), "project__organization", lambda o: {"pk": o.pk}),
        "api:plan-detail": (MidTermPlan.objects.all(), "organization", lambda o: {"code": o.code}),
        "api:decision-detail": (Decision.objects.all(), "system__organization", lambda o: {"pk": o.pk}),
        **{f"api:campaign-{v}": campaign for v in ("detail", "open", "close")},
        **{f"api:return-{v}": ret for v in ("detail", "items", "answers", "submit", "accept", "send-back")},
        "change_detail": change,
        "object_history": (InformationSystem.objects.all(), "organization",
                           lambda o: {"model": "inventory.informationsystem", "pk": o.pk}),
        "api:token_revoke": (ApiToken.objects.all(), "user__mieruka_role__organization", lambda o: {"pk": o.pk}),
        # A saved view is its owner's alone: "in scope" is one of someone of the person's organization.
        "inventory:saved_view_delete": (SavedView.objects.all(), "owner__mieruka_role__organization",
                                        lambda o: {"list_name": o.list_name, "pk": o.pk}),
        "insights:digital_staffing_edit": (DigitalStaffing.objects.select_related("organization"), "organization",
                                           lambda o: {"code": o.organization.code, "fiscal_year": o.fiscal_year}),
        **{f"restraint:flag_{v}": (ExcessiveRequestFlag.objects.all(), "organization", lambda o: {"pk": o.pk})
           for v in ("detail", "decide")},
        "restraint:explanation_detail": (ExplanationRequest.objects.all(), "organization", lambda o: {"pk": o.pk}),
        "interchange:batch_detail": (ObjectChange.objects.filter(changed_object_type__model="informationsystem"),
                                     "informationsystem", lambda o: {"request_id": o.request_id}),
    }


# Parameters that no record stands behind: every page gets these values (one visit each).
FIXED_PATH_PARAMS: dict[str, list[dict]] = {
    # POST-only (an administrator starts a registered task): a GET is answered 405; an unknown key too.
    "tasks:start": [{"key": k} for k in ("backup", "no-such-task")],
    "interchange:import_preview": [{"token": "00000000-0000-4000-8000-000000000000"}],
    "interchange:import_confirm": [{"token": "00000000-0000-4000-8000-000000000000"}],
    "interchange:import_cancel": [{"token": "00000000-0000-4000-8000-000000000000"}],
    "interchange:open_data_file": [{"filename": f} for f in (
        "systems.csv", "budget_lines.csv", "mieruka.json", "mieruka-open-data.zip", "data_dictionary.csv",
        "nothing.csv")],
    "object_history": [{"model": m, "pk": 1} for m in ("inventory.project", "budgets.budgetline", "no.such")],
    # POST-only (save the list's view under a name): a GET is answered 405; an unknown list too.
    "inventory:saved_view_save": [{"list_name": n} for n in ("systems", "projects", "no-such-list")],
    "inventory:saved_view_delete": [{"list_name": "systems", "pk": 999999}],
}


def _visible(queryset, lookup: str | None, ids: set[int] | None, *, inside: bool):
    from django.db.models import Exists, OuterRef

    from mieruka.inventory.models import InformationSystem

    if lookup is None or ids is None:
        return queryset if inside else queryset.none()
    if lookup == "informationsystem":  # a change row of a system: scoped by the system's organization
        systems = InformationSystem.objects.filter(pk=OuterRef("changed_object_id"), organization_id__in=ids)
        qs = queryset.annotate(_in=Exists(systems))
        return qs.filter(_in=True) if inside else qs.filter(_in=False)
    condition = {f"{lookup}__in": ids}
    return queryset.filter(**condition) if inside else queryset.exclude(**condition)


def path_params(route: Route, *, visible_ids: set[int] | None) -> list[dict]:
    """The parameters to visit `route` with: a record the person may read and one they may not (if any)."""
    if not route.params:
        return [{}]
    out = list(FIXED_PATH_PARAMS.get(route.name, []))
    spec = _records().get(route.name)
    if spec is not None:
        queryset, lookup, to_params = spec
        for inside in (True, False):
            record = _visible(queryset, lookup, visible_ids, inside=inside).order_by("pk").first()
            if record is not None:
                out.append(to_params(record))
        if not out:
            out.append(to_params(queryset.order_by("pk").first()) if queryset.exists() else {})
    return [p for p in out if p or not route.params]


def has_visit_plan(route: Route) -> bool:
    return not route.params or route.name in FIXED_PATH_PARAMS or route.name in _records()


# Query strings a person would use, on every page without path parameters; pages named here get theirs too.
COMMON_QUERIES: list[dict] = [{}, {"q": "システム"}, {"page": "2"}, {"format": "csv"}, {"fiscal_year": "2025"}]


def queries_for(route: Route, *, other_organization: str, fiscal_year: int) -> list[dict]:
    """The query strings to visit a page with: the common ones and the page's own filters."""
    org = {"organization": other_organization}
    own = {
        "inventory:system_list": [org, {"q": "S0"}, {"sort": "-budget", "budget_fy": fiscal_year},
                                  {"hosting": "government_cloud"}, {"important": "yes"},
                                  {"fy": fiscal_year, "sort": "-operating", "cols": ["operating", "rate", "yoy",
                                                                                      "signals", "fte"]},
                                  {"signal": "low_execution", "fy": fiscal_year - 1}, {"signal": "stop_alarm"},
                                  {"has_budget": "operation", "stage": "executed", "fy": fiscal_year - 1},
                                  {"in_operation": fiscal_year - 1, "hosting": "government_cloud",
                                   "hosting_fy": fiscal_year - 1},
                                  # One ID: the page echoes it in its links, where a list of them would be
                                  # URL-encoded (S00001%2CS00002) and no longer recognised as an echo.
                                  {"ids": "S00001"}, {"q": "こくぜい"}, {"q": "kokuzei"}],
        "inventory:system_export": [org, {"q": "S0"}, {"budget_fy": fiscal_year},
                                    {"cols": ["operating", "rate", "fte"], "signal": "growth"}],
        "inventory:project_list": [org, {"q": "P"}, {"important": "yes"}, {"signal": "reinforce"},
                                   {"signal": "monitoring_red", "cols": ["signals", "development"]},
                                   {"sort": "-budget", "fy": fiscal_year - 1}],
        "inventory:project_export": [org, {"format": "xlsx", "cols": ["staff", "budget", "systems"]},
                                     {"signal": "reinforce"}],
        "search": [{"q": "S0"}, {"q": "システム"}, {"q": "こくぜい"}, {"q": "kokuzei"}, {"q": "MOJ"}],
        "changelog": [{"source": "demo"}, {"type": "1"}, {"action": "create"}, {"user": "demo"},
                      {"since": "2000-01-01"}],
        "insights:dashboard": [org, {"fiscal_year": fiscal_year}, *[
            {"format": "csv", "chart": c} for c in (
                "budget_by_year", "execution_rate", "budget_by_ministry", "budget_by_classification",
                "cloud_adoption", "largest_operating_costs", "risk_overview", "platform_matrix")]],
        "insights:similar": [{"show": "all"}, {"show": "decided"}, {"min_score": "0"}, org],
        "insights:staffing": [org, {"fiscal_year": fiscal_year}, {"format": "csv", "chart": "staffing"}],
        "insights:digital_staffing": [org, {"fiscal_year": fiscal_year}, {"format": "csv"}],
        "restraint:index": [org, {"status": "pending"}, {"kind": "campaign"}, {"campaign": "1"}],
        "restraint:flag_create": [{"target": "campaign:1"}, {"target": "question:1"}, {"target": "no:such"}],
        "insights:architecture": [org, {"impact": "S00001"}, {"format": "csv", "chart": "architecture_graph"}],
        "outcomes:dashboard": [{"threshold": "95"}, {"threshold": "0"}],
        "outcomes:kpi_list": [org, {"off_target": "yes"}, {"level": "outcome", "term": "short"},
                              {"standard": "online_rate", "threshold": "100"}, {"rated": "yes"}, {"level": "nonsense"},
                              {"service": "SVC-HW"}, {"project": "P00001"}],
        "outcomes:service_list": [org, {"q": "申請"}],
        "outcomes:kpi_create": [{"service": "SVC-HW"}, {"service": "SVC-PASSPORT"}, {"project": "P00001"}],
        "plans:decision_list": [{"fiscal_year": fiscal_year}, {"fiscal_year": fiscal_year + 1}],
        "reviews:list": [{"state": "submitted"}, {"q": "P"}, {"fiscal_year": fiscal_year}],
        "reviews:finding_search": [{"q": "経費"}, {"category": "cost"}, {"phase": "operation"}],
        "reporting:index": [{"only": "stale"}],
        "organizations:list": [{"q": "省"}, {"kind": "ministry"}],
        "agencies:gss_schedule": [{"status": "merged"}, {"status": "no-such-status"}],
        "api:system-list": [org, {"limit": "1000"}, {"q": "S0"}, {"important": "yes"}],
        "api:project-list": [org, {"limit": "1000"}],
        "api:organization-list": [{"limit": "1000"}, {"kind": "ministry"}],
        "api:interface-list": [{"limit": "1000"}, {"system": "S00001"}],
        "api:budget-line-list": [org, {"limit": "1000"}, {"fiscal_year": fiscal_year}],
        "api:change-list": [{"limit": "1000"}, {"type": "inventory.informationsystem"}, {"source": "demo"}],
        "api:schema": [{"format": "json"}],
        "api:system-export": [{**org, "format": "csv"}, {"format": "xlsx", "important": "yes"}, {"format": "json"}],
        "api:contract-export": [{"format": "csv"}, {"format": "json", **org}],
        "security:dashboard": [{"as_of": "2026-01-01"}, {"as_of": "not-a-date"}],
        "security:finding_list": [org, {"past_sla": "yes"}, {"severity": "critical", "open": "yes"},
                                  {"system": "S00001"}, {"as_of": "2026-13-01"}, {"status": "nonsense"}],
        "security:finding_export": [org, {"past_sla": "yes", "as_of": "2026-01-01"}],
        "api:review-list": [org, {"limit": "1000"}, {"state": "submitted"}],
        "api:finding-list": [org, {"limit": "1000"}, {"q": "経費"}],
        "api:status-report-list": [org, {"limit": "1000"}],
        "api:plan-list": [org, {"limit": "1000"}],
        "api:decision-list": [org, {"limit": "1000"}, {"kind": "merge"}],
        "api:campaign-list": [{"limit": "1000"}],
        "api:return-list": [org, {"limit": "1000"}],
    }.get(route.name, [])
    return (COMMON_QUERIES if not route.params else [{}]) + own
