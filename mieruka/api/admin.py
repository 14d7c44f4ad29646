from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see everyone's tokens (never their keys) and can revoke them; tokens are created by
    their owners (page or command), so the key is only ever shown to the person who will use it."""

    list_display = ["name", "user", "prefix", "created", "expires_at", "last_used", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created", "expires_at", "last_used", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            token_revoke(token=token)
        self.message_user(request, _("Revoked %(count)d token(s).") % {"count": queryset.count()})
