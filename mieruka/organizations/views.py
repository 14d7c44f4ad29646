"""Pages of organizations: the tree with counts and budgets, and one organization's subtree overview."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from mieruka.budgets.selectors import budget_table_for_organizations
from mieruka.core.permissions import can_read_organization, visible_organization_ids
from mieruka.inventory.selectors import current_fiscal_year, system_list

from . import selectors

# Beyond this many systems the detail page links to the filtered systems list instead of listing them.
SYSTEMS_SHOWN = 50


@login_required
def organization_list(request):
    fy = current_fiscal_year()
    rows = selectors.organization_overview_rows(fiscal_year=fy)
    visible = visible_organization_ids(request.user)
    if visible is not None:
        # A visible organization's whole subtree is visible, so its rolled-up figures stay within scope.
        rows = [r for r in rows if r["organization"].pk in visible]
    return render(request, "organizations/organization_list.html", {
        "rows": rows,
        "fiscal_year": fy,
    })


@login_required
def organization_detail(request, code: str):
    organization = selectors.organization_get(code=code)
    if not can_read_organization(request.user, organization.pk):
        raise Http404(code)
    subtree = selectors.organization_subtree_ids(organization=organization)
    systems = system_list().filter(organization_id__in=subtree).order_by("system_id")
    system_count = systems.count()
    return render(request, "organizations/organization_detail.html", {
        "organization": organization,
        "ancestors": selectors.organization_ancestors(organization=organization),
        "supervising_ministry": selectors.supervising_ministry_of(organization=organization),
        "children": sorted(organization.children.all(), key=lambda o: (o.order is None, o.order or 0, o.code)),
        "systems": list(systems[:SYSTEMS_SHOWN]),
        "system_count": system_count,
        "systems_capped": system_count > SYSTEMS_SHOWN,
        "systems_url": reverse("inventory:system_list") + "?" + urlencode({"organization": organization.code}),
        "budget": budget_table_for_organizations(organization_ids=subtree),
        "fiscal_year": current_fiscal_year(),
    })
