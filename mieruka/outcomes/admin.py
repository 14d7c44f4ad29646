from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import Kpi, KpiValue, Service


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    list_display = ("code", "name_ja", "organization")
    search_fields = ("code", "name_ja", "name_en")
    autocomplete_fields = ("organization", "systems")
    list_select_related = ("organization",)
    scope_field = "organization"


@admin.register(Kpi)
class KpiAdmin(AuditedModelAdmin):
    list_display = ("code", "name_ja", "level", "term", "unit", "direction", "target_year", "target_value")
    list_filter = ("level", "term", "direction", "standard")
    search_fields = ("code", "name_ja", "goal")
    autocomplete_fields = ("service", "project", "organization", "derived_from")
    list_select_related = ("organization",)
    scope_field = "organization"


@admin.register(KpiValue)
class KpiValueAdmin(AuditedModelAdmin):
    list_display = ("kpi", "fiscal_year", "target", "actual", "actual_withheld")
    search_fields = ("kpi__code",)
    autocomplete_fields = ("kpi",)
    list_select_related = ("kpi",)
    scope_field = "kpi__organization"
