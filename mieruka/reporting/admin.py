from django.contrib import admin

from .models import Campaign, Confirmation, Question, Return, Survey, SurveyRecipient


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only views: reporting records change only through their workflow pages (services)."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "due_on", "opened_at"]
    list_filter = ["status"]


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "organization", "status", "submitted_at"]
    list_filter = ["status"]


@admin.register(Confirmation)
class ConfirmationAdmin(ReadOnlyAdmin):
    list_display = ["content_type", "object_id", "confirmed_at", "confirmed_by_name", "via"]
    list_filter = ["via", "content_type"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "due_on"]
    list_filter = ["status"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["survey", "position", "text", "kind"]


@admin.register(SurveyRecipient)
class SurveyRecipientAdmin(ReadOnlyAdmin):
    list_display = ["survey", "organization", "submitted_at"]
