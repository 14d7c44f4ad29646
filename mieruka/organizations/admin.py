from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    list_display = ("code", "name_ja", "name_en", "kind", "parent", "order")
    list_filter = ("kind",)
    search_fields = ("code", "name_ja", "name_en", "corporate_number", "local_government_code")
    autocomplete_fields = ("parent",)
    scope_field = "id"
