from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import GssMigration, InventoryEntry


@admin.register(GssMigration)
class GssMigrationAdmin(AuditedModelAdmin):
    list_display = ("lan_code", "name_ja", "organization", "status", "planned_on", "merged_on")
    list_filter = ("status",)
    search_fields = ("lan_code", "name_ja")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)
    scope_field = "organization"


@admin.register(InventoryEntry)
class InventoryEntryAdmin(AuditedModelAdmin):
    list_display = ("system", "form", "terminals", "operating_cost_yen", "contract_ends_on")
    list_filter = ("form",)
    search_fields = ("system__system_id", "system__name_ja")
    autocomplete_fields = ("system",)
    list_select_related = ("system",)
    scope_field = "system__organization"
