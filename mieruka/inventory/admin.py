from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin
from mieruka.core.permissions import is_administrator, is_digital_agency

from .models import (
    DesignationProposal,
    InformationSystem,
    Interface,
    PreviousSystemId,
    Project,
    SharedPlatform,
)
from .services import system_delete


@admin.register(SharedPlatform)
class SharedPlatformAdmin(AuditedModelAdmin):
    list_display = ("code", "name_ja", "name_en")
    search_fields = ("code", "name_ja", "name_en")


@admin.register(InformationSystem)
class InformationSystemAdmin(AuditedModelAdmin):
    list_display = ("system_id", "name_ja", "organization", "classification", "status", "hosting", "important")
    list_filter = ("classification", "status", "hosting", "important")
    search_fields = ("system_id", "name_ja", "name_en", "purpose")
    autocomplete_fields = ("organization",)
    filter_horizontal = ("platforms",)
    list_select_related = ("organization",)
    scope_field = "organization"
    # Deleting audits the budget lines, interfaces and project links it removes, and only administrators
    # may do it (the service refuses everyone else); a system that ended is retired instead.
    delete_service = system_delete
    delete_service_argument = "system"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("system_id")  # renamed only through the rename page, with a reason
        if not is_digital_agency(request.user):
            readonly += ["important", "classification"] if obj is not None else ["important"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)


@admin.register(PreviousSystemId)
class PreviousSystemIdAdmin(AuditedModelAdmin):
    """Read-only: previous IDs are written by the rename, never by hand."""

    list_display = ("code", "system", "renamed_on", "reason")
    search_fields = ("code", "system__system_id", "system__name_ja")
    list_select_related = ("system",)
    scope_field = "system__organization"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DesignationProposal)
class DesignationProposalAdmin(AuditedModelAdmin):
    """Read-only here: proposals are made and decided on their pages, where the rules apply."""

    list_display = ("system", "project", "field", "proposed_value", "status", "proposed_by", "decided_by")
    list_filter = ("field", "status")
    list_select_related = ("system", "project", "proposed_by", "decided_by")
    scope_field = "system__organization"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ("project_id", "name_ja", "organization", "phase", "pjmo_staff", "pjmo_external", "important")
    list_filter = ("phase", "important")
    search_fields = ("project_id", "name_ja", "purpose")
    autocomplete_fields = ("organization", "systems")
    list_select_related = ("organization",)
    scope_field = "organization"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_digital_agency(request.user):
            readonly.append("important")
        return readonly


@admin.register(Interface)
class InterfaceAdmin(AuditedModelAdmin):
    list_display = ("from_system", "to_system", "kind")
    list_filter = ("kind",)
    autocomplete_fields = ("from_system", "to_system")
    list_select_related = ("from_system", "to_system")
    scope_field = "from_system__organization"
