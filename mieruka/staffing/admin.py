from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import DigitalStaffing


@admin.register(DigitalStaffing)
class DigitalStaffingAdmin(AuditedModelAdmin):
    list_display = ("organization", "fiscal_year", "internal_fte", "external_fte", "internal_target_fte")
    list_filter = ("fiscal_year",)
    search_fields = ("organization__code", "organization__name_ja")
