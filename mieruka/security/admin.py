from django.contrib import admin

from mieruka.core.admin import AuditedModelAdmin
from mieruka.core.permissions import can_read_restricted_records

from .models import Assessment, SecurityFinding, ZeroTrustCheck


class _RestrictedAdmin(AuditedModelAdmin):
    """Security records in the admin: only for stewards who may read restricted records, in their scope."""

    scope_field = "system__organization"
    autocomplete_fields = ("system",)
    list_select_related = ("system",)

    def has_module_permission(self, request):
        return can_read_restricted_records(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_read_restricted_records(request.user) and super().has_view_permission(request, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if can_read_restricted_records(request.user) else qs.none()


@admin.register(SecurityFinding)
class SecurityFindingAdmin(_RestrictedAdmin):
    list_display = ("finding_id", "system", "title", "severity", "found_on", "due_on", "fixed_on", "status")
    list_filter = ("severity", "status")
    search_fields = ("finding_id", "title", "system__system_id")


@admin.register(Assessment)
class AssessmentAdmin(_RestrictedAdmin):
    list_display = ("system", "kind", "assessed_on", "result", "assessor", "cloud_service")
    list_filter = ("kind", "result")
    search_fields = ("system__system_id", "assessor", "cloud_service")


@admin.register(ZeroTrustCheck)
class ZeroTrustCheckAdmin(_RestrictedAdmin):
    list_display = ("system", "item", "state", "checked_on")
    list_filter = ("item", "state")
    search_fields = ("system__system_id",)
