"""API representations of reporting campaigns, returns and return items."""

from rest_framework import serializers

from mieruka.api.serializers import BriefRelatedField, InputSerializer, ModelInputSerializer, OutputSerializer
from mieruka.organizations.models import Organization

from .. import fields as registry
from ..models import Campaign, Return, ReturnItem


def _user(name: str, **kwargs):
    return serializers.CharField(source=f"{name}.username", read_only=True, allow_null=True, **kwargs)


class CampaignOutputSerializer(OutputSerializer):
    fields = serializers.ListField(child=serializers.CharField(), read_only=True,
                                   help_text="The fields asked, as registry keys (`system.hosting`, …).")
    organizations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True,
                                                 help_text="The organizations asked; each answers for its subtree.")
    created_by = _user("created_by")
    n_returns = serializers.IntegerField(read_only=True, help_text="Returns (one per organization, once open).")

    class Meta:
        model = Campaign
        fields = ["id", "title", "description", "fields", "fiscal_year", "due_on", "status", "organizations",
                  "n_returns", "created", "created_by", "opened_at", "closed_at"]


class CampaignInputSerializer(ModelInputSerializer):
    """Draft a campaign (Digital Agency administrators); it asks nothing until it is opened."""

    fields = serializers.ListField(child=serializers.ChoiceField(choices=[]), allow_empty=False,
                                   help_text="Registry keys of the fields asked (`system.hosting`, …).")
    organizations = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Organization.objects.all(),
                                                 help_text="Codes of the organizations asked.")

    class Meta:
        model = Campaign
        fields = ["title", "description", "fields", "organizations", "due_on", "fiscal_year"]

    def get_fields(self):
        fields = super().get_fields()
        fields["fields"].child.choices = list(registry.FIELDS)
        return fields


class ReturnOutputSerializer(OutputSerializer):
    campaign = BriefRelatedField(help_text="The campaign answered.")
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                help_text="The organization answering (for its subtree).")
    submitted_by = _user("submitted_by")
    decided_by = _user("decided_by")
    items_pending = serializers.IntegerField(read_only=True, help_text="Fields not yet answered.")
    items_confirmed = serializers.IntegerField(read_only=True, help_text="Fields confirmed unchanged.")
    items_changed = serializers.IntegerField(read_only=True, help_text="Fields changed.")

    class Meta:
        model = Return
        fields = ["id", "campaign", "organization", "status", "started_at", "submitted_at", "submitted_by",
                  "decided_at", "decided_by", "send_back_reason", "items_pending", "items_confirmed",
                  "items_changed"]


class ReturnItemSerializer(serializers.ModelSerializer):
    """One field of one record in a return: the value Mieruka held at opening and the answer."""

    record_type = serializers.CharField(read_only=True, help_text="systems, projects, budget, status_reports, …")

    class Meta:
        model = ReturnItem
        fields = ["id", "record_type", "object_id", "record_label", "field", "prefilled", "answer", "state",
                  "answered_at"]
        read_only_fields = fields


class ReturnAnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, help_text="The item's ID (from `items/`).")
    value = serializers.JSONField(allow_null=True, help_text="The answer, as the field takes it.")


class ReturnSaveInputSerializer(InputSerializer):
    """Answer a return: changed values, items confirmed unchanged, or every unanswered item confirmed."""

    answers = ReturnAnswerSerializer(many=True, required=False)
    confirm = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                    help_text="IDs of items confirmed unchanged.")
    confirm_all = serializers.BooleanField(required=False, default=False,
                                           help_text="Confirm every item not yet answered as unchanged.")


class ReturnSendBackInputSerializer(InputSerializer):
    """Send a submitted return back; `reason` (or X-Change-Reason) says why and is required."""
