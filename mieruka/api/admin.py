import secrets

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from mieruka.core.admin import AuditedModelAdmin
from mieruka.core.permissions import is_administrator

from .models import ApiToken, WebhookDelivery, WebhookSubscription
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


class _AdministratorsOnly:
    def has_module_permission(self, request):
        return is_administrator(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return is_administrator(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user) and super().has_delete_permission(request, obj)


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["event", "record_type", "object_id", "attempt", "scheduled_for", "sent_at", "status_code",
              "succeeded", "error"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-scheduled_for", "-id"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(_AdministratorsOnly, AuditedModelAdmin):
    """Administrators manage subscriptions (audited); the secret is shown once, when one is added."""

    list_display = ["name", "user", "target_url", "active", "created"]
    list_filter = ["active"]
    search_fields = ["name", "target_url", "user__username"]
    exclude = ["secret"]
    readonly_fields = ["created", "last_updated"]
    inlines = [WebhookDeliveryInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        new_secret = None
        if not obj.secret:
            new_secret = obj.secret = "whsec_" + secrets.token_urlsafe(32)
        super().save_model(request, obj, form, change)
        if new_secret:
            messages.warning(request, _("The signing secret, shown only now: %(secret)s") % {"secret": new_secret})


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_AdministratorsOnly, admin.ModelAdmin):
    """The delivery log: read-only."""

    list_display = ["scheduled_for", "subscription", "event", "record_type", "object_id", "attempt",
                    "status_code", "succeeded"]
    list_filter = ["succeeded", "event", "record_type"]
    search_fields = ["event_id", "subscription__name"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
