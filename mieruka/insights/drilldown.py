"""Links from a chart's bars, points and table cells to the systems or projects list behind them.

Each link is the list's URL with the filters that select exactly the records the figure counted or
summed, so the list's count (or its total of the same amount) equals the chart's, and the view can be
shared or bookmarked. The builders are plain functions of the dashboard scope; the figure builders
receive them as callables and stay free of URLs.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

# The list columns that show what a budget chart sums, so the list's totals line can be compared.
BUDGET_COLUMNS = ("organization", "classification", "development", "operating", "budget")


def _url(name: str, params: dict) -> str:
    pairs = []
    for key, value in params.items():
        if value is None or value == "":
            continue
        if isinstance(value, list | tuple):
            pairs += [(key, v) for v in value]
        else:
            pairs.append((key, value))
    return reverse(name) + ("?" + urlencode(pairs) if pairs else "")


def systems_url(**params) -> str:
    return _url("inventory:system_list", params)


def projects_url(**params) -> str:
    return _url("inventory:project_list", params)


def _organization(scope, code: str | None = None) -> str | None:
    """The organization filter of a link: the dashboard's own selection, else the chart row's ministry."""
    if scope is not None and scope.organization is not None:
        return scope.organization.code
    return code


CATEGORY_FILTER = {"development": "development", "operation": "operation", "total": "any", None: "any"}


def budget_link(scope, *, fiscal_year: int, stage: str = "initial", category: str | None = None,
                organization: str | None = None, classification: str | None = None,
                entity: str | None = None) -> str:
    """Systems with a budget line of `category` in `fiscal_year` at `stage`: their total is the figure.

    `entity` narrows to one kind of owner (`national`, `independent_agency`, `local_government`), as the
    ministry chart groups them; a member of an expanded group passes its own code with `scope` None.
    """
    return systems_url(organization=_organization(scope, organization), entity=entity,
                       classification=classification, fy=fiscal_year, stage=stage,
                       has_budget=CATEGORY_FILTER.get(category, "any"), cols=list(BUDGET_COLUMNS), sort="-budget")


def operation_link(scope, *, fiscal_year: int, organization: str | None = None) -> str:
    """Systems in operation in `fiscal_year` (started by its end, not retired before it began)."""
    return systems_url(organization=_organization(scope, organization), in_operation=fiscal_year)


def cloud_link(scope, *, fiscal_year: int) -> str:
    """Systems in operation in `fiscal_year` that ran on the government cloud at its end."""
    return systems_url(organization=_organization(scope), in_operation=fiscal_year, hosting="government_cloud",
                       hosting_fy=fiscal_year)


def largest_link(scope, *, fiscal_year: int) -> str:
    """Every system by its operating cost, largest first: the top of it is the chart's top 15."""
    return systems_url(organization=_organization(scope), fy=fiscal_year, has_budget="operation",
                       cols=["organization", "operating", "development", "yoy"], sort="-operating")


def signal_link(scope, *, fiscal_year: int, signal: str) -> str:
    """The systems (or, for PJMO reinforcement, the projects) a risk signal counted."""
    org = _organization(scope)
    if signal == "reinforcement":
        return projects_url(organization=org, fy=fiscal_year, signal="reinforce",
                            cols=["organization", "phase", "staff", "external", "budget"], sort="-budget")
    if signal == "important":
        return systems_url(organization=org, important="yes", active="yes")
    return systems_url(organization=org, fy=fiscal_year, signal=signal,
                       cols=["organization", "operating", "executed", "rate", "yoy", "signals"])
