from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import CloudUsage, Contract
from .services import contract_derive_in_place


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    list_display = ("contract_number", "title", "organization", "fiscal_year", "vendor_name", "method",
                    "bidders_count", "amount_yen", "award_rate", "single_bid")
    list_filter = ("fiscal_year", "method", "category", "single_bid")
    search_fields = ("contract_number", "title", "vendor_name", "vendor_corporate_number")
    autocomplete_fields = ("organization", "systems", "project")
    list_select_related = ("organization",)
    readonly_fields = ("single_bid",)
    scope_field = "organization"

    def save_model(self, request, obj, form, change):
        # The same derived facts as the services store: the rate from the amounts, 一者応札 from the method.
        contract_derive_in_place(contract=obj)
        super().save_model(request, obj, form, change)


@admin.register(CloudUsage)
class CloudUsageAdmin(AuditedModelAdmin):
    list_display = ("system", "month", "account", "service_category", "amount_yen")
    list_filter = ("month", "service_category")
    search_fields = ("system__system_id", "account")
    autocomplete_fields = ("system",)
    list_select_related = ("system",)
    scope_field = "system__organization"
