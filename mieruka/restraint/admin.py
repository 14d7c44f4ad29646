from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin

from .models import ExcessiveRequestFlag, ExplanationRequest


@admin.register(ExcessiveRequestFlag)
class ExcessiveRequestFlagAdmin(AuditedModelAdmin):
    list_display = ("target_label", "kind", "organization", "status", "created", "decided_at")
    list_filter = ("status", "kind")
    search_fields = ("target_label", "reason")


@admin.register(ExplanationRequest)
class ExplanationRequestAdmin(AuditedModelAdmin):
    list_display = ("subject", "organization", "due_on", "status")
    list_filter = ("status",)
    search_fields = ("subject",)
