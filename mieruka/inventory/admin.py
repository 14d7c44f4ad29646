from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import InformationSystem, Interface, Project, SharedPlatform


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


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ("project_id", "name_ja", "organization", "phase", "pjmo_staff", "pjmo_external", "important")
    list_filter = ("phase", "important")
    search_fields = ("project_id", "name_ja", "purpose")
    autocomplete_fields = ("organization", "systems")
    list_select_related = ("organization",)
    scope_field = "organization"


@admin.register(Interface)
class InterfaceAdmin(AuditedModelAdmin):
    list_display = ("from_system", "to_system", "kind")
    list_filter = ("kind",)
    autocomplete_fields = ("from_system", "to_system")
    list_select_related = ("from_system", "to_system")
    scope_field = "from_system__organization"
