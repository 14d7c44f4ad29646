"""Pages of systems and projects: parse the request, call selectors and services, render."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mieruka.budgets.choices import BudgetStage
from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError, bilingual
from mieruka.core.listcache import cached_fragments
from mieruka.core.pagination import KeysFirstPaginator
from mieruka.core.permissions import (
    can_edit_organization,
    can_read_organization,
    can_see_restricted,
    editable_organization_ids,
    hidden_fields,
    is_administrator,
    is_digital_agency,
    scope_queryset,
)

from . import selectors, services, tasks
from .columns import PROJECT_COLUMNS, SYSTEM_COLUMNS, chosen_columns, figures_of
from .exports import XLSX_CONTENT_TYPE, csv_echo_writer, project_rows, rows_to_xlsx, system_csv_rows
from .filtersets import InformationSystemFilterSet, ProjectFilterSet
from .forms import (
    AsOfForm,
    BudgetLineForm,
    DecideProposalForm,
    DeleteForm,
    DeleteLineForm,
    InterfaceForm,
    ProjectForm,
    ProposalForm,
    RenameForm,
    RetireForm,
    SystemForm,
)
from .models import InformationSystem, Project
from .panels import (
    SystemDraft,
    project_list_extras,
    project_panels,
    system_draft_panels,
    system_list_extras,
    system_panels,
)
from .registry import project_signals, system_signals

# ---------------------------------------------------------------- shared helpers


def can_edit(user, model: type[Model] | None = None) -> bool:
    """Whether the person changes records at all: administrators anywhere, PJMO editors in their subtree."""
    return editable_organization_ids(user) != set()


def _require_edit(request, model: type[Model] | None = None, *, organization_id: int | None | object = ...) -> None:
    allowed = can_edit(request.user) if organization_id is ... else can_edit_organization(
        request.user, organization_id)
    if not allowed:
        raise PermissionDenied(bilingual("編集する権限がありません", "You may not edit this"))


class _RenamedSystem(Exception):
    def __init__(self, current_id: str):
        self.current_id = current_id


def _system_for(request, system_id: str, *, edit: bool = False) -> InformationSystem:
    """A system the person may read (others do not exist for them: 404), and change if `edit`.

    An ID the system had before a rename raises `_RenamedSystem`, which `follows_renames` turns into a
    redirect to the same page under the current ID.
    """
    try:
        system = selectors.system_get(system_id=system_id)
    except Http404:
        renamed = selectors.system_by_any_id(queryset=InformationSystem.objects.all(), system_id=system_id)
        if renamed is None or not can_read_organization(request.user, renamed.organization_id):
            raise
        raise _RenamedSystem(renamed.system_id) from None
    if not can_read_organization(request.user, system.organization_id):
        raise Http404(system_id)
    if edit:
        _require_edit(request, organization_id=system.organization_id)
    return system


def _project_for(request, project_id: str, *, edit: bool = False) -> Project:
    project = selectors.project_get(project_id=project_id)
    if not can_read_organization(request.user, project.organization_id):
        raise Http404(project_id)
    if edit:
        _require_edit(request, organization_id=project.organization_id)
    return project


def _list_extras(objects, *, kind: str) -> dict:
    """What other apps add to one page of a list (stop decisions, freshness), each in one query."""
    return (system_list_extras if kind == "systems" else project_list_extras).load(objects)


def _organization_allowed(request, form) -> bool:
    """An editor may only register or move records into their own subtree."""
    organization = form.cleaned_data.get("organization")
    if can_edit_organization(request.user, organization.pk if organization else None):
        return True
    form.add_error("organization", bilingual("自組織（配下を含む）以外の組織は指定できません",
                                             "You may only choose your own organization or one below it"))
    return False


def sort_headers(request, *, current: str, columns: list[tuple[str | None, str, bool]]) -> list[dict]:
    """Column headers of a sortable table: a link that toggles the direction and the `aria-sort` state."""
    current = current or ""
    active, descending = current.lstrip("-"), current.startswith("-")
    out = []
    for key, label, numeric in columns:
        header = {"label": label, "numeric": numeric, "url": None, "aria_sort": None, "arrow": ""}
        if key:
            params = request.GET.copy()
            params.pop("page", None)
            params["sort"] = f"-{key}" if key == active and not descending else key
            header["url"] = "?" + params.urlencode()
            if key == active:
                header["aria_sort"] = "descending" if descending else "ascending"
                header["arrow"] = "▼" if descending else "▲"
        out.append(header)
    return out


def paginate(request, queryset, *, per_page: int | None = None):
    paginator = KeysFirstPaginator(queryset, per_page or settings.MIERUKA_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page, page_range


def _save_form(request, form, save, *, success: str):
    """Call `save(actor, data, reason)` for a valid, permitted form; the saved record, or None with the
    service's errors shown on the form (the page is then shown again)."""
    if request.method != "POST" or not form.is_valid() or not _organization_allowed(request, form):
        return None
    try:
        saved = save(Actor.from_request(request), form.service_data(), form.cleaned_data.get("reason", ""))
    except (ValidationError, ApplicationError) as error:
        _apply_service_errors(form, error)
        return None
    messages.success(request, success)
    return saved


def _apply_service_errors(form, error: Exception) -> None:
    """Show a service's validation errors next to the fields they name, others above the form."""
    if isinstance(error, ApplicationError):
        form.add_error(None, error.message)
        return
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ---------------------------------------------------------------- systems


def follows_renames(view):
    """Old system IDs keep working: a page asked for by a previous ID redirects to the current one."""
    import functools

    @functools.wraps(view)
    def wrapper(request, system_id: str, *args, **kwargs):
        try:
            return view(request, system_id, *args, **kwargs)
        except _RenamedSystem as renamed:
            url = reverse(request.resolver_match.view_name, kwargs={**kwargs, "system_id": renamed.current_id})
            if request.GET:
                url += "?" + request.GET.urlencode()
            return redirect(url, permanent=True)

    return wrapper


def _list_context(request, *, columns: list) -> dict:
    """What every configurable list shows besides its rows and the same for everyone: the chosen columns
    (as sortable headers) and the column chooser."""
    chosen = chosen_columns(request.GET, columns)
    keys = {c.key for c in chosen}
    return {
        "columns": [c.key for c in chosen],
        "column_choices": [{"key": c.key, "label": c.label, "checked": c.key in keys} for c in columns],
    }


def _person_list_context(request, *, list_name: str) -> dict:
    """What a list shows for the person reading it: their saved views, and the query string a view, a link
    or a download keeps."""
    from mieruka.core.selectors import saved_views_of

    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return {
        "saved_views": saved_views_of(owner=request.user, list_name=list_name),
        "list_name": list_name,
        "view_query": query,
        "export_query": query,
        "share_url": request.build_absolute_uri(request.path + (f"?{query}" if query else "")),
    }


def _list_fragments(request, results_template: str, context: dict) -> dict[str, str]:
    """A list's filter form and its rows (totals, pagination, table), rendered for `cached_fragments`.

    Without the context processors: what they add (the menu, the person's role) belongs to the page around
    the fragments, which are the same for everyone of one scope. The fragments read only the query string."""
    context = {**context, "request": request}
    return {"filters": render_to_string("inventory/_list_filters.html", context),
            "results": render_to_string(results_template, context)}


def _headers(request, *, fixed: list, chosen: list, current: str) -> list[dict]:
    return sort_headers(request, current=current, columns=[
        *fixed, *[(c.sort, str(c.label), c.numeric) for c in chosen]])


@login_required
def system_list(request):
    def build() -> dict[str, str]:
        chosen = chosen_columns(request.GET, SYSTEM_COLUMNS)
        filterset = InformationSystemFilterSet(request.GET, queryset=scope_queryset(request.user, selectors.system_list()),
                                               figures=figures_of(chosen))
        queryset = filterset.qs
        page, page_range = paginate(request, queryset)
        fy, stage = filterset.fiscal_year, filterset.budget_stage
        totals = selectors.system_list_totals(queryset, fiscal_year=fy, stage=stage, count=page.paginator.count)
        keys = {c.key for c in chosen}
        signals = (system_signals.keys_for(queryset=scope_queryset(request.user, InformationSystem.objects.all()),
                                           pks=[s.pk for s in page.object_list], fiscal_year=fy)
                   if "signals" in keys else {})
        return _list_fragments(request, "inventory/_system_results.html", {
            "filterset": filterset,
            "filters_help": _("The budget range is compared with the budget (development + operation) of the "
                              "chosen fiscal year and stage, in million yen (百万円)."),
            "page": page,
            "page_range": page_range,
            "headers": _headers(request, fixed=[("system_id", _("System ID"), False), ("name", _("Name"), False)],
                                chosen=chosen, current=request.GET.get("sort") or "system_id"),
            "fiscal_year": fy,
            "stage_label": BudgetStage(stage).label,
            "totals": totals,
            "row_signals": signals,
            **_list_context(request, columns=SYSTEM_COLUMNS),
            **_list_extras(page.object_list, kind="systems"),
        })

    return render(request, "inventory/system_list.html", {
        "fragments": cached_fragments(request, name="systems", version=selectors.list_version(system_list_extras),
                                      build=build),
        "can_edit": can_edit(request.user, InformationSystem),
        **_person_list_context(request, list_name="systems"),
    })


@login_required
def system_export(request):
    """Exactly the filtered systems list (every page) as CSV: UTF-8 with BOM so Excel reads Japanese.

    The figure columns chosen on the page (整備等経費, 運用等経費, execution rate, …) follow the
    interchange columns."""
    chosen = chosen_columns(request.GET, SYSTEM_COLUMNS)
    filterset = InformationSystemFilterSet(request.GET, queryset=scope_queryset(request.user, selectors.system_list()),
                                           figures=figures_of(chosen))
    writer = csv_echo_writer()
    rows = system_csv_rows(filterset.qs, fiscal_year=filterset.fiscal_year, columns=chosen)

    def stream():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="systems.csv"'
    return response


@login_required
@require_POST
def saved_view_save(request, list_name: str):
    """Save the list as it is shown (filters, columns, sort) under a name, for this person only."""
    from mieruka.core.services import saved_view_save as save

    target = {"systems": "inventory:system_list", "projects": "inventory:project_list"}.get(list_name)
    if target is None:
        raise Http404(list_name)
    query = request.POST.get("query", "")
    try:
        view = save(owner=request.user, list_name=list_name, name=request.POST.get("name", ""), query=query)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(reverse(target) + (f"?{query}" if query else ""))
    messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
    return redirect(reverse(target) + (f"?{view.query}" if view.query else ""))


@login_required
@require_POST
def saved_view_delete(request, list_name: str, pk: int):
    from mieruka.core.services import saved_view_delete as delete

    target = {"systems": "inventory:system_list", "projects": "inventory:project_list"}.get(list_name)
    if target is None:
        raise Http404(list_name)
    try:
        delete(owner=request.user, view_id=pk)
    except ApplicationError:
        raise Http404(str(pk)) from None
    messages.success(request, _("Deleted the saved view."))
    return redirect(target)


@login_required
@require_POST
def system_export_start(request):
    """Queue the export of the filtered list (CSV or XLSX); the task page offers the file when it is ready."""
    fmt = request.POST.get("format", "csv")
    if fmt not in tasks.EXPORT_FORMATS:
        raise Http404
    run = tasks.system_export_start(user=request.user, query=request.POST.get("query", ""), fmt=fmt)
    return redirect("tasks:detail", pk=run.pk)


@login_required
@follows_renames
def system_detail(request, system_id: str):
    system = _system_for(request, system_id)
    return render(request, "inventory/system_detail.html", {
        "system": system,
        "users_labels": _user_labels(system.users),
        "budget": selectors.system_budget_table(system=system),
        "projects": selectors.system_projects(system=system),
        "interfaces": selectors.system_interfaces(system=system),
        "history": selectors.history_with_diffs(instance=system, limit=10, user=request.user),
        "as_of_form": AsOfForm(initial={"date": datetime.date.today()}),
        "can_edit": can_edit_organization(request.user, system.organization_id),
        "is_administrator": is_administrator(request.user),
        "previous_ids": system.previous_ids.all(),
        "pending_proposals": system.designation_proposals.filter(status="pending"),
        "show_restricted": can_see_restricted(request.user),
        "panels": system_panels.render_slots(request, system=system),
    })


def _user_labels(values) -> list[str]:
    from .choices import UserGroup

    labels = dict(UserGroup.choices)
    return [str(labels.get(v, v)) for v in values or []]


@login_required
@follows_renames
def system_as_of(request, system_id: str):
    system = _system_for(request, system_id)
    form = AsOfForm(request.GET or None)
    context = {"system": system, "form": form, "state": None, "when": None}
    status = 200
    if form.is_bound:
        if form.is_valid():
            context["when"] = form.cleaned_data["date"]
            context["state"] = selectors.system_as_of(
                system=system, when=context["when"], hidden=hidden_fields(request.user, InformationSystem))
        else:
            status = 400
    return render(request, "inventory/system_as_of.html", context, status=status)


def _system_form_page(request, *, form, system=None, draft_panels=None):
    return render(request, "inventory/system_form.html",
                  {"form": form, "system": system, "draft_panels": draft_panels})


def _ids(values) -> tuple[int, ...]:
    return tuple(int(v) for v in values if str(v).isdigit())


def _checking_form(request, system=None, **kwargs):
    """When "Check for similar systems" was pressed: the form as submitted, and the panels other apps
    registered for an unsaved draft (similar existing systems). Nothing is saved or validated."""
    if request.method != "POST" or "check_draft" not in request.POST:
        return None
    post = request.POST
    org = post.get("organization", "")
    draft = SystemDraft(
        name_ja=post.get("name_ja", "").strip(),
        purpose=post.get("purpose", ""),
        functions=tuple(line.strip() for line in post.get("functions", "").splitlines() if line.strip()),
        users=tuple(post.getlist("users")),
        organization_id=int(org) if org.isdigit() else (system.organization_id if system else None),
        function_tag_ids=_ids(post.getlist("function_tags")),
        platform_ids=_ids(post.getlist("platforms")),
        system_pk=system.pk if system else None,
    )
    form = SystemForm(initial=SystemForm.initial_from(post), user=request.user, **kwargs)
    return _system_form_page(request, form=form, system=system,
                             draft_panels=system_draft_panels.render_list(request, draft=draft))


def _suggesting_form(request, **kwargs) -> SystemForm | None:
    """When "Suggest from the text" was pressed: the form as submitted with the suggested tags checked.

    Nothing is saved and nothing is validated yet; the person checks the suggestion and saves.
    """
    if request.method != "POST" or "suggest_tags" not in request.POST:
        return None
    initial = SystemForm.initial_from(request.POST)
    suggested = selectors.suggested_function_tags(
        name=request.POST.get("name_ja", ""), purpose=request.POST.get("purpose", ""),
        functions=request.POST.get("functions", "").splitlines(),
    )
    initial["function_tags"] = [f.pk for f in suggested]
    if suggested:
        messages.info(request, _("Suggested business functions: %(names)s. Check them and save.")
                      % {"names": "、".join(str(f) for f in suggested)})
    else:
        messages.info(request, _("No business function could be suggested from the text."))
    return SystemForm(initial=initial, user=request.user, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def system_create(request):
    _require_edit(request, InformationSystem)
    checking = _checking_form(request)
    if checking is not None:
        return checking
    suggesting = _suggesting_form(request)
    if suggesting is not None:
        return _system_form_page(request, form=suggesting)
    form = SystemForm(request.POST or None, user=request.user)
    system = _save_form(request, form, lambda actor, data, reason: services.system_create(
        actor=actor, data=data, reason=reason), success=_("The system was registered."))
    if system is not None:
        return redirect(system)
    return _system_form_page(request, form=form)


@login_required
@require_http_methods(["GET", "POST"])
@follows_renames
def system_edit(request, system_id: str):
    system = _system_for(request, system_id, edit=True)
    checking = _checking_form(request, system, instance=selectors.system_get(system_id=system.system_id), editing=True)
    if checking is not None:
        return checking
    suggesting = _suggesting_form(request, instance=selectors.system_get(system_id=system.system_id), editing=True)
    if suggesting is not None:
        return _system_form_page(request, form=suggesting, system=system)
    # The form validates against a separate copy, so a rejected edit never touches the shown record.
    form = SystemForm(request.POST or None, instance=selectors.system_get(system_id=system.system_id), editing=True,
                      user=request.user)
    saved = _save_form(request, form, lambda actor, data, reason: services.system_update(
        actor=actor, system=system, data=data, reason=reason), success=_("The changes were saved."))
    if saved is not None:
        return redirect(saved)
    return _system_form_page(request, form=form, system=system)


@login_required
@require_http_methods(["GET", "POST"])
@follows_renames
def system_delete(request, system_id: str):
    """Delete a system registered by mistake: administrators only (others retire a system)."""
    system = _system_for(request, system_id, edit=True)
    _require_admin(request, bilingual(
        "情報システムを削除できるのは管理者だけです。使わなくなったシステムは「廃止」してください",
        "Only an administrator can delete a system; retire a system that is no longer used"))
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.system_delete(actor=Actor.from_request(request), system=system, reason=form.cleaned_data["reason"])
        messages.success(request, _("The system was deleted."))
        return redirect("inventory:system_list")
    return render(request, "inventory/confirm_delete.html", {
        "form": form, "object": system, "cancel_url": system.get_absolute_url(),
        "list_url": reverse("inventory:system_list"), "list_label": _("Information systems"),
        "delete_note": _("Delete only a system registered by mistake. A system that ended is retired instead, "
                         "so its budget history and decisions stay."),
    })


def _require_admin(request, message: str) -> None:
    if not is_administrator(request.user):
        raise PermissionDenied(message)


def _simple_form_page(request, *, template: str, system, form, status: int = 200, **extra):
    return render(request, template, {"system": system, "form": form, **extra},
                  status=400 if form.errors else status)


@login_required
@require_http_methods(["GET", "POST"])
@follows_renames
def system_rename(request, system_id: str):
    """An administrator gives the system a new ID, with a reason; the old ID keeps resolving."""
    system = _system_for(request, system_id)
    _require_admin(request, bilingual("情報システムIDを改称できるのは管理者だけです",
                                      "Only an administrator can rename a system ID"))
    form = RenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            renamed = services.system_rename(actor=Actor.from_request(request), system=system,
                                             new_system_id=form.cleaned_data["new_system_id"],
                                             reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The system ID was changed; the old ID still leads here."))
            return redirect(renamed)
    return _simple_form_page(request, template="inventory/system_rename.html", system=system, form=form,
                             previous=system.previous_ids.all())


@login_required
@require_http_methods(["GET", "POST"])
@follows_renames
def system_retire(request, system_id: str):
    """The owning ministry retires its system (廃止) with a date, a reason and a successor."""
    system = _system_for(request, system_id, edit=True)
    form = RetireForm(request.POST or None, initial={"retired_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.system_retire(actor=Actor.from_request(request), system=system,
                                   retired_on=form.cleaned_data["retired_on"], reason=form.cleaned_data["reason"],
                                   successor=form.successor_system)
        except (ValidationError, ApplicationError) as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The system was retired."))
            return redirect(system)
    return _simple_form_page(request, template="inventory/system_retire.html", system=system, form=form)


@login_required
@require_http_methods(["GET", "POST"])
@follows_renames
def system_propose(request, system_id: str):
    """The owning ministry proposes a change of a Digital Agency designation (重点, 区分)."""
    system = _system_for(request, system_id, edit=True)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_propose(actor=Actor.from_request(request), system=system,
                                         field=form.cleaned_data["field"], proposed_value=form.proposed_value(),
                                         reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The proposal was sent to the Digital Agency."))
            return redirect(system)
    return _simple_form_page(request, template="inventory/system_propose.html", system=system, form=form,
                             proposals=system.designation_proposals.select_related("proposed_by", "decided_by"))


@login_required
@require_http_methods(["GET", "POST"])
def project_propose(request, project_id: str):
    """The owning ministry proposes a change of a project's Digital Agency designation (重点, 報告頻度)."""
    project = _project_for(request, project_id, edit=True)
    # The choices open on the project's current designations, so a proposal changes one thing on purpose.
    form = ProposalForm(request.POST or None, designations=services.PROJECT_DESIGNATIONS, initial={
        "field": "reporting_frequency", "important": "true" if project.important else "false",
        "reporting_frequency": project.reporting_frequency})
    if request.method == "POST" and form.is_valid():
        try:
            services.designation_propose(actor=Actor.from_request(request), project=project,
                                         field=form.cleaned_data["field"], proposed_value=form.proposed_value(),
                                         reason=form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("The proposal was sent to the Digital Agency."))
            return redirect(project)
    return render(request, "inventory/project_propose.html", {
        "project": project, "form": form,
        "proposals": project.designation_proposals.select_related("proposed_by", "decided_by"),
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_list(request):
    """Designation proposals: the Digital Agency decides pending ones; ministries see their own."""
    proposals = (scope_queryset(request.user, selectors.proposal_list(), organization_field="system__organization")
                 | scope_queryset(request.user, selectors.proposal_list(), organization_field="project__organization"))
    form = DecideProposalForm(request.POST or None)
    if request.method == "POST":
        if not is_digital_agency(request.user):
            raise PermissionDenied(bilingual("提案を判断できるのはデジタル庁だけです",
                                             "Only the Digital Agency decides proposals"))
        if form.is_valid():
            proposal = proposals.filter(pk=form.cleaned_data["proposal"]).first()
            if proposal is None:
                raise Http404
            try:
                services.designation_decide(actor=Actor.from_request(request), proposal=proposal,
                                            accept=form.cleaned_data["decision"] == "accept",
                                            reason=form.cleaned_data["reason"])
            except (ValidationError, ApplicationError) as error:
                _apply_service_errors(form, error)
            else:
                messages.success(request, _("The proposal was decided."))
                return redirect("inventory:proposal_list")
    status = request.GET.get("status") or "pending"
    shown = proposals if status == "all" else proposals.filter(status=status)
    page, page_range = paginate(request, shown)
    return render(request, "inventory/proposal_list.html", {
        "page": page, "page_range": page_range, "form": form, "status": status,
        "can_decide": is_digital_agency(request.user),
    }, status=400 if form.errors else 200)


# ---------------------------------------------------------------- projects


@login_required
def project_list(request):
    def build() -> dict[str, str]:
        chosen = chosen_columns(request.GET, PROJECT_COLUMNS)
        filterset = ProjectFilterSet(request.GET, queryset=scope_queryset(request.user, selectors.project_list()))
        fy = filterset.fiscal_year
        page, page_range = paginate(request, filterset.qs)
        keys = {c.key for c in chosen}
        signals = (project_signals.keys_for(queryset=scope_queryset(request.user, Project.objects.all()),
                                            pks=[p.pk for p in page.object_list], fiscal_year=fy)
                   if "signals" in keys else {})
        return _list_fragments(request, "inventory/_project_results.html", {
            "filterset": filterset,
            "page": page,
            "page_range": page_range,
            "headers": _headers(request, fixed=[("project_id", _("Project ID"), False), ("name", _("Name"), False)],
                                chosen=chosen, current=request.GET.get("sort") or "project_id"),
            "fiscal_year": fy,
            "row_signals": signals,
            **_list_context(request, columns=PROJECT_COLUMNS),
            **_list_extras(page.object_list, kind="projects"),
        })

    return render(request, "inventory/project_list.html", {
        "fragments": cached_fragments(request, name="projects", version=selectors.list_version(project_list_extras),
                                      build=build),
        "can_edit": can_edit(request.user, Project),
        **_person_list_context(request, list_name="projects"),
    })


@login_required
def project_export(request):
    """The filtered projects list (every page) with the chosen columns, as CSV or XLSX (`?format=xlsx`)."""
    chosen = chosen_columns(request.GET, PROJECT_COLUMNS)
    filterset = ProjectFilterSet(request.GET, queryset=scope_queryset(request.user, selectors.project_list()))
    rows = project_rows(filterset.qs, columns=chosen)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(rows_to_xlsx(rows, sheet="projects"), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="projects.xlsx"'
        return response
    writer = csv_echo_writer()

    def stream():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="projects.csv"'
    return response


@login_required
def project_detail(request, project_id: str):
    project = _project_for(request, project_id)
    fy = selectors.current_fiscal_year()
    systems = list(selectors.project_systems(project=project, fiscal_year=fy))
    dev_total = sum(s.fy_development or 0 for s in systems)
    op_total = sum(s.fy_operation or 0 for s in systems)
    return render(request, "inventory/project_detail.html", {
        "project": project,
        "systems": systems,
        "fiscal_year": fy,
        "dev_total": dev_total,
        "op_total": op_total,
        "history": selectors.history_with_diffs(instance=project, limit=10, user=request.user),
        "can_edit": can_edit_organization(request.user, project.organization_id),
        "can_decide": is_digital_agency(request.user),
        "pending_proposals": project.designation_proposals.filter(status="pending").exists(),
        "panels": project_panels.render_slots(request, project=project),
    })


def _project_form_page(request, *, form, project=None):
    return render(request, "inventory/project_form.html", {"form": form, "project": project})


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    _require_edit(request, Project)
    form = ProjectForm(request.POST or None, user=request.user)
    project = _save_form(request, form, lambda actor, data, reason: services.project_create(
        actor=actor, data=data, reason=reason), success=_("The project was registered."))
    if project is not None:
        return redirect(project)
    return _project_form_page(request, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, project_id: str):
    project = _project_for(request, project_id, edit=True)
    form = ProjectForm(request.POST or None, instance=selectors.project_get(project_id=project_id), editing=True,
                       user=request.user)
    saved = _save_form(request, form, lambda actor, data, reason: services.project_update(
        actor=actor, project=project, data=data, reason=reason), success=_("The changes were saved."))
    if saved is not None:
        return redirect(saved)
    return _project_form_page(request, form=form, project=project)


@login_required
@require_http_methods(["GET", "POST"])
def project_delete(request, project_id: str):
    project = _project_for(request, project_id, edit=True)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.project_delete(actor=Actor.from_request(request), project=project,
                                reason=form.cleaned_data["reason"])
        messages.success(request, _("The project was deleted."))
        return redirect("inventory:project_list")
    return render(request, "inventory/confirm_delete.html", {
        "form": form, "object": project, "cancel_url": project.get_absolute_url(),
        "list_url": reverse("inventory:project_list"), "list_label": _("Projects"),
    })


# ---------------------------------------------------------------- budget lines and interfaces of a system


@login_required
@require_http_methods(["GET", "POST"])
@follows_renames
def system_budget(request, system_id: str):
    """Set or delete a system's budget lines (each change audited with its reason)."""
    from mieruka.budgets import services as budget_services

    system = _system_for(request, system_id, edit=True)
    lines = selectors.system_budget_lines(system=system)
    set_form = BudgetLineForm(request.POST if request.POST.get("action") == "set" else None,
                              initial={"fiscal_year": selectors.current_fiscal_year()})
    delete_form = DeleteLineForm(request.POST if request.POST.get("action") == "delete" else None)
    actor = Actor.from_request(request) if request.method == "POST" else None
    if set_form.is_bound and set_form.is_valid():
        data = set_form.cleaned_data
        try:
            budget_services.budget_line_set(
                actor=actor, system=system, fiscal_year=data["fiscal_year"], category=data["category"],
                stage=data["stage"], appropriation=data["appropriation"], amount_yen=data["amount_yen"],
                reason=data["reason"],
            )
        except (ValidationError, ApplicationError) as error:
            _apply_service_errors(set_form, error)
        else:
            messages.success(request, _("The budget line was saved."))
            return redirect("inventory:system_budget", system_id=system.system_id)
    if delete_form.is_bound and delete_form.is_valid():
        line = lines.filter(pk=delete_form.cleaned_data["line"]).first()
        if line is None:
            delete_form.add_error(None, bilingual("その予算行はありません", "No such budget line"))
        else:
            budget_services.budget_line_delete(actor=actor, budget_line=line, reason=delete_form.cleaned_data["reason"])
            messages.success(request, _("The budget line was deleted."))
            return redirect("inventory:system_budget", system_id=system.system_id)
    return render(request, "inventory/system_budget.html", {
        "system": system, "lines": lines, "form": set_form, "delete_form": delete_form,
        "budget": selectors.system_budget_table(system=system),
    }, status=400 if (set_form.errors or delete_form.errors) else 200)


@login_required
@require_http_methods(["GET", "POST"])
@follows_renames
def system_interfaces(request, system_id: str):
    """Add or remove links between this system and others (audited)."""
    system = _system_for(request, system_id, edit=True)
    interfaces = selectors.system_interfaces(system=system)
    add_form = InterfaceForm(request.POST if request.POST.get("action") == "add" else None, system=system)
    delete_form = DeleteLineForm(request.POST if request.POST.get("action") == "delete" else None)
    actor = Actor.from_request(request) if request.method == "POST" else None
    if add_form.is_bound and add_form.is_valid():
        from_system, to_system = add_form.endpoints()
        try:
            services.interface_create(actor=actor, from_system=from_system, to_system=to_system,
                                      kind=add_form.cleaned_data["kind"],
                                      description=add_form.cleaned_data["description"],
                                      reason=add_form.cleaned_data["reason"])
        except (ValidationError, ApplicationError) as error:
            _apply_service_errors(add_form, error)
        else:
            messages.success(request, _("The interface was added."))
            return redirect("inventory:system_interfaces", system_id=system.system_id)
    if delete_form.is_bound and delete_form.is_valid():
        pk = delete_form.cleaned_data["line"]
        interface = next((i for i in interfaces["out"] + interfaces["in"] if i.pk == pk), None)
        if interface is None:
            delete_form.add_error(None, bilingual("その連携はありません", "No such interface"))
        else:
            services.interface_delete(actor=actor, interface=interface, reason=delete_form.cleaned_data["reason"])
            messages.success(request, _("The interface was removed."))
            return redirect("inventory:system_interfaces", system_id=system.system_id)
    return render(request, "inventory/system_interfaces.html", {
        "system": system, "interfaces": interfaces, "form": add_form, "delete_form": delete_form,
    }, status=400 if (add_form.errors or delete_form.errors) else 200)
