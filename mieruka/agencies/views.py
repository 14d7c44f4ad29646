"""Pages of the agencies app: the 独法 inventory roll-up by supervising ministry and the GSS schedule."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.core.permissions import (
    can_edit_organization,
    can_read_organization,
    is_administrator,
    is_digital_agency,
)
from mieruka.organizations.models import Organization
from mieruka.reporting.models import Campaign, Return

from . import figures, selectors, services
from .choices import MINISTRY_KINDS, GssStatus, InventoryForm, form_columns
from .forms import GssMigrationForm
from .inventory_form import KEY as INVENTORY_KEY


def _latest_inventory_returns(organization_ids: list[int]) -> tuple[Campaign | None, dict[int, Return]]:
    """The newest non-draft 棚卸 campaign and its returns by organization."""
    campaigns = Campaign.objects.exclude(status="draft").order_by("-due_on", "-id").only("id", "fields", "title")
    campaign = next((c for c in campaigns if any(k.startswith(INVENTORY_KEY + ".") for k in c.fields)), None)
    if campaign is None:
        return None, {}
    returns = Return.objects.filter(campaign=campaign, organization_id__in=organization_ids)
    return campaign, {r.organization_id: r for r in returns}


def _systems_url(organization: Organization) -> str:
    return reverse("inventory:system_list") + "?" + urlencode({"organization": organization.code})


@login_required
def rollup(request):
    rows = selectors.agency_rollup(user=request.user)
    return render(request, "agencies/rollup.html", {
        "rows": rows, "forms": form_columns(), "is_admin": is_administrator(request.user),
        "totals": {"agencies": sum(len(r.agencies) for r in rows), "systems": sum(r.systems for r in rows),
                   "cost": sum(r.operating_cost_yen for r in rows), "unclassified": sum(r.unclassified for r in rows),
                   "forms": [(f, sum(r.form_count(f) for r in rows)) for f in InventoryForm.values]},
    })


@login_required
def ministry(request, code: str):
    org = Organization.objects.filter(code=code, kind__in=MINISTRY_KINDS).first()
    if org is None or not can_read_organization(request.user, org.pk):
        raise Http404(code)
    rows = selectors.agency_rollup(user=request.user, ministry=org)
    agencies = rows[0].agencies if rows else []
    form = request.GET.get("form") or None
    if form not in (None, "none", *InventoryForm.values):
        form = None
    campaign, returns = _latest_inventory_returns([a.organization.pk for a in agencies])
    # ?agency=<code> narrows the systems table to one of the ministry's agencies.
    agency = next((a.organization for a in agencies if a.organization.code == request.GET.get("agency")), None)
    shown_ids = [agency.pk] if agency else [a.organization.pk for a in agencies]
    systems = selectors.agency_systems(user=request.user, organization_ids=shown_ids, form=form)
    return render(request, "agencies/ministry.html", {
        "ministry": org, "row": rows[0] if rows else None, "forms": form_columns(), "form": form,
        "agencies": [(a, returns.get(a.organization.pk), _systems_url(a.organization)) for a in agencies],
        "campaign": campaign, "systems": systems, "agency": agency,
    })


@login_required
def gss_schedule(request):
    migrations = list(selectors.gss_migration_list(user=request.user))
    status = request.GET.get("status") or None
    if status not in GssStatus.values:
        status = None
    shown = [m for m in migrations if status is None or m.status == status]
    today = timezone.localdate()
    figure = figures.gss_schedule_figure(rows=[{
        "label": m.name_ja, "planned_on": m.planned_on, "merged_on": m.merged_on, "status": m.status,
        "url": m.get_absolute_url(),
    } for m in shown if m.planned_on or m.merged_on], today=today)
    return render(request, "agencies/gss_schedule.html", {
        "migrations": shown, "summary": selectors.gss_summary(migrations), "status": status,
        "figure": figure, "today": today,
    })


@login_required
def gss_detail(request, lan_code: str):
    migration = selectors.gss_migration_get(user=request.user, lan_code=lan_code)
    if migration is None:
        raise Http404(lan_code)
    can_edit = is_digital_agency(request.user) or can_edit_organization(request.user, migration.organization_id)
    form = GssMigrationForm(request.POST or None, instance=migration) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise Http404(lan_code)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
            try:
                services.gss_migration_update(actor=Actor.from_request(request),
                                              migration=selectors.gss_migration_get(user=request.user,
                                                                                    lan_code=lan_code),
                                              data=data, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The GSS migration was saved."))
                return redirect(migration)
    return render(request, "agencies/gss_detail.html", {
        "migration": migration, "form": form, "today": timezone.localdate(),
        "history_url": reverse("object_history", args=["agencies.gssmigration", migration.pk]),
    })
