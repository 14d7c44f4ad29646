"""Pages of security by design: the dashboard of findings past their SLA, the findings list (and its CSV)
and one system's assessments, findings and zero-trust checklist, plus the panel on the system page. Every
read goes through `selectors.security_scope`; writes through `services.py`."""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, bilingual
from mieruka.core.formatting import spreadsheet_safe
from mieruka.core.permissions import can_read_restricted_records
from mieruka.inventory.models import InformationSystem
from mieruka.inventory.views import paginate

from . import selectors, services, sla
from .choices import Severity
from .filtersets import SecurityFindingFilterSet
from .forms import FindingCreateForm, FindingStatusForm, ZeroTrustForm
from .models import SecurityFinding


def _require_reader(request) -> None:
    if not can_read_restricted_records(request.user):
        raise PermissionDenied(bilingual(
            "セキュリティ情報は、クリアランスのある担当者と当該情報システムのPJMOだけが閲覧できます",
            "Security facts are shown only to cleared roles and to the system's own PJMO"))


def _as_of(request) -> datetime.date:
    try:
        asked = parse_date(request.GET.get("as_of") or "")
    except ValueError:  # well formed but no such day (2026-13-01): the data's date, as for a blank one
        asked = None
    return selectors.security_as_of(asked=asked)


SYSTEMS_SHOWN = 30


@login_required
def dashboard(request):
    """Open findings past their SLA, by ministry and by system; each figure links to the findings behind it."""
    _require_reader(request)
    as_of = _as_of(request)
    data = selectors.security_dashboard(user=request.user, as_of=as_of)
    base = reverse("security:finding_list")
    day = as_of.isoformat()
    for m in data["ministries"]:
        m["past_url"] = f"{base}?organization={m['organization'].code}&past_sla=yes&as_of={day}"
        m["open_url"] = f"{base}?organization={m['organization'].code}&open=yes"
        for s in Severity.values:
            m[f"{s}_url"] = f"{m['past_url']}&severity={s}"
    # The systems with the most past-SLA findings; the rest are one link away, in the findings list.
    data["systems_total"] = len(data["systems"])
    data["systems"] = data["systems"][:SYSTEMS_SHOWN]
    for s in data["systems"]:
        s["past_url"] = f"{base}?system={s['system_id']}&past_sla=yes&as_of={day}"
    return render(request, "security/dashboard.html", {
        **data, "as_of": as_of, "severities": Severity.choices, "sla_days": sla.sla_days(),
        "past_url": f"{base}?past_sla=yes&as_of={day}", "open_url": f"{base}?open=yes",
    })


def _filtered(request):
    _require_reader(request)
    filterset = SecurityFindingFilterSet(request.GET, queryset=selectors.finding_list(user=request.user),
                                         as_of=_as_of(request))
    return filterset


@login_required
def finding_list(request):
    filterset = _filtered(request)
    queryset = filterset.qs
    page, page_range = paginate(request, queryset)
    as_of = filterset.as_of_date
    for f in page:
        f.past_sla = f.is_open and f.due_on < as_of
        f.days_overdue = (as_of - f.due_on).days if f.past_sla else 0
    return render(request, "security/finding_list.html", {
        "filterset": filterset, "page": page, "page_range": page_range, "count": queryset.count(), "as_of": as_of,
    })


CSV_COLUMNS = ("finding_id", "system_id", "title", "severity", "found_on", "due_on", "fixed_on", "status",
               "acceptance_reason", "source", "notes", "past_sla")


class _Echo:
    def write(self, value):
        return value


@login_required
def finding_export(request):
    """Exactly the filtered findings (every page) as CSV in the interchange columns, plus `past_sla`."""
    filterset = _filtered(request)
    as_of = filterset.as_of_date

    def rows():
        yield list(CSV_COLUMNS)
        for f in filterset.qs.iterator(chunk_size=500):
            yield [spreadsheet_safe(v) for v in (
                f.finding_id, f.system.system_id, f.title, f.severity, f.found_on.isoformat(), f.due_on.isoformat(),
                f.fixed_on.isoformat() if f.fixed_on else "", f.status, f.acceptance_reason, f.source, f.notes,
                "true" if f.is_open and f.due_on < as_of else "false")]

    writer = csv.writer(_Echo())
    body = (writer.writerow(r) for r in rows())
    response = StreamingHttpResponse(_with_bom(body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="security_findings.csv"'
    return response


def _with_bom(body):
    yield "\ufeff"
    yield from body


def _system_or_404(request, system_id: str) -> InformationSystem:
    _require_reader(request)
    system = get_object_or_404(InformationSystem.objects.select_related("organization"), system_id=system_id)
    if not selectors.security_can_read(user=request.user, system=system):
        raise Http404(system_id)
    return system


@login_required
def system_security(request, system_id: str):
    """One system's security: assessments, continuous-diagnosis findings and the zero-trust checklist; its
    PJMO (and administrators, cleared analysts) record findings, their status and checklist answers here."""
    system = _system_or_404(request, system_id)
    can_edit = selectors.security_can_edit(user=request.user, system=system)
    create_form, zero_form = FindingCreateForm(prefix="new"), ZeroTrustForm(prefix="zt")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(bilingual("この情報システムのセキュリティ情報を登録する権限がありません",
                                             "You may not record security facts for this system"))
        actor = Actor.from_request(request)
        action = request.POST.get("action")
        try:
            if action == "create":
                create_form = FindingCreateForm(request.POST, prefix="new")
                if create_form.is_valid():
                    services.finding_create(actor=actor, data={**create_form.cleaned_data, "system": system})
                    messages.success(request, _("The finding was recorded."))
                    return redirect(request.path)
            elif action == "status":
                form = FindingStatusForm(request.POST)
                if form.is_valid():
                    finding = get_object_or_404(SecurityFinding, system=system,
                                                finding_id=form.cleaned_data["finding_id"])
                    data = {k: form.cleaned_data[k] for k in ("status", "fixed_on", "acceptance_reason")}
                    services.finding_update(actor=actor, finding=finding, data=data)
                    messages.success(request, _("The finding was updated."))
                    return redirect(request.path)
                messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
            elif action == "zero_trust":
                zero_form = ZeroTrustForm(request.POST, prefix="zt")
                if zero_form.is_valid():
                    services.zero_trust_check_set(actor=actor, system=system, checked_on=selectors.security_as_of(),
                                                  **zero_form.cleaned_data)
                    messages.success(request, _("The checklist was updated."))
                    return redirect(request.path)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:  # the model's rule, naming the field and reason
            messages.error(request, "; ".join(exc.messages))
    as_of = _as_of(request)
    return render(request, "security/system.html", {
        "system": system, "as_of": as_of, "can_edit": can_edit, "create_form": create_form,
        "zero_form": zero_form, "status_form": FindingStatusForm(), "sla_days": sla.sla_days(),
        **selectors.system_security(system=system, as_of=as_of),
    })


def system_security_panel(request, *, system) -> dict | None:
    """The system page's security panel: shown only to those who may read the system's security facts."""
    if not selectors.security_can_read(user=request.user, system=system):
        return None
    data = selectors.system_security(system=system, as_of=selectors.security_as_of())
    latest = {}
    for a in data["assessments"]:
        latest.setdefault(a.kind, a)
    return {"system": system, "open_count": data["open_count"], "past_count": data["past_count"],
            "score": data["score"], "band": data["band"], "latest": list(latest.values()),
            "url": reverse("security:system", args=[system.system_id])}
