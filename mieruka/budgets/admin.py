from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import BudgetLine


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedModelAdmin):
    list_display = ("system", "fiscal_year", "category", "stage", "appropriation", "amount_yen")
    list_filter = ("fiscal_year", "category", "stage", "appropriation")
    search_fields = ("system__system_id", "system__name_ja")
    autocomplete_fields = ("system",)
    list_select_related = ("system",)
    scope_field = "system__organization"
