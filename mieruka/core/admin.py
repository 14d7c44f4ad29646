from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .audit import Actor, audit_record, audited_delete_cascade, serialize_object
from .auth import SiteAdminAuthenticationForm
from .choices import ChangeAction, ChangeSource
from .models import ObjectChange, UserRole
from .permissions import can_edit_organization, editable_organization_ids, scope_queryset

# The admin's login goes through the same throttle (every authenticate() call does) and refuses passwords
# when password accounts are switched off.
admin.site.login_form = SiteAdminAuthenticationForm


class AuditedAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for change"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the change log with your name."),
    )


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin edits are recorded in the audit trail like any other write.

    The snapshot is taken after `save_related`, because many-to-many fields are saved there.
    """

    form = AuditedAdminForm
    # Path from the model to its owning organization; None for records every steward may edit
    # (shared platforms). Ministry stewards see and change only their organization's subtree.
    scope_field: str | None = None
    # The app's delete service, `service(actor=, <model name>=instance, reason=)`, when it has one: it
    # audits the cascade its own way and applies its rules (who may delete). Without one, every record
    # the cascade removes is audited (`audited_delete_cascade`).
    delete_service = None
    delete_service_argument: str | None = None

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.scope_field is None:
            return qs
        return scope_queryset(request.user, qs, organization_field=self.scope_field)

    def _organization_id_of(self, obj):
        value = obj
        for part in self.scope_field.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value if isinstance(value, int) else value.pk

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or self.scope_field is None:
            return allowed
        return can_edit_organization(request.user, self._organization_id_of(obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None or self.scope_field is None:
            return allowed
        return can_edit_organization(request.user, self._organization_id_of(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # The owning organization offers only those this person may choose.
        if self.scope_field == db_field.name == "organization":
            ids = editable_organization_ids(request.user)
            if ids is not None:
                kwargs["queryset"] = db_field.related_model._default_manager.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _actor(self, request) -> Actor:
        return Actor.from_request(request, source=ChangeSource.ADMIN)

    def save_model(self, request, obj, form, change):
        request._audit_before = (
            serialize_object(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        audit_record(
            actor=self._actor(request), action=ChangeAction.UPDATE if change else ChangeAction.CREATE,
            instance=obj, before=getattr(request, "_audit_before", None), after=serialize_object(obj),
            reason=form.cleaned_data.get("change_reason", ""),
        )

    # Django's admin already runs add, change and delete views in a transaction, so a failed save
    # leaves neither the change nor its audit row.
    def _delete_one(self, actor: Actor, obj) -> None:
        if self.delete_service is not None:
            name = self.delete_service_argument or obj._meta.model_name
            type(self).delete_service(actor=actor, reason="", **{name: obj})
        else:
            audited_delete_cascade(actor=actor, instance=obj)

    def delete_model(self, request, obj):
        self._delete_one(self._actor(request), obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action would skip per-object hooks; delete one by one instead.
        actor = self._actor(request)
        with transaction.atomic():
            for obj in queryset:
                self._delete_one(actor, obj)


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    """The trail is read-only everywhere, the admin included."""

    list_display = ("time", "user_name", "source", "action", "changed_object_type", "object_repr", "reason")
    list_filter = ("action", "source", "changed_object_type")
    search_fields = ("object_repr", "user_name", "reason", "request_id")
    date_hierarchy = "time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UserRole)
class UserRoleAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "organization", "clearance", "request_arbiter")
    list_filter = ("role", "clearance", "request_arbiter")
    search_fields = ("user__username", "organization__name_ja")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")


# People and their access: users (is_staff, is_superuser, groups, permissions) and groups (permissions) are
# audited like portfolio data. The snapshot after save_related holds the many-to-many links.
_REASON = forms.CharField(
    label=_("Reason for change"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
    help_text=_("Recorded in the change log with your name."),
)


class AuditedUserChangeForm(UserChangeForm):
    change_reason = _REASON


class AuditedUserCreationForm(AdminUserCreationForm):
    change_reason = _REASON


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class AuditedUserAdmin(AuditedModelAdmin, UserAdmin):
    form = AuditedUserChangeForm
    add_form = AuditedUserCreationForm
    fieldsets = (*UserAdmin.fieldsets, (_("Reason for change"), {"fields": ("change_reason",)}))
    add_fieldsets = (*UserAdmin.add_fieldsets, (_("Reason for change"), {"fields": ("change_reason",)}))

    def user_change_password(self, request, id, form_url=""):
        # Django's password page saves outside save_model; record the change (as a fingerprint) here.
        with transaction.atomic():
            user = self.get_object(request, unquote(id))
            before = serialize_object(user) if user is not None else None
            response = super().user_change_password(request, id, form_url)
            if user is not None and request.method == "POST":
                user.refresh_from_db()
                audit_record(actor=self._actor(request), action=ChangeAction.UPDATE, instance=user,
                             before=before, after=serialize_object(user))
        return response


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass
