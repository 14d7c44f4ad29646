from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import MunicipalMigration


@admin.register(MunicipalMigration)
class MunicipalMigrationAdmin(AuditedModelAdmin):
    list_display = ("organization", "business_area", "status", "target_on", "specific_support")
    list_filter = ("status", "specific_support", "business_area")
    search_fields = ("organization__name_ja", "organization__local_government_code")
    raw_id_fields = ("organization",)
