"""API representations of reviews and findings: projects by project ID, people by user name, reviews by ID."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from mieruka.api.serializers import BriefRelatedField, InputSerializer, ModelInputSerializer, OutputSerializer
from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import Project

from ..choices import ChecklistAnswer, FollowUp, ReviewState
from ..models import ChecklistItem, Finding, Review


def _user(name: str, **kwargs):
    # People are named by user name (as in the change log); they are not records of this API.
    return serializers.CharField(source=f"{name}.username", read_only=True, allow_null=True, **kwargs)


def _user_input(**kwargs):
    return serializers.SlugRelatedField(slug_field="username", queryset=get_user_model().objects.filter(is_active=True),
                                        required=False, allow_null=True, **kwargs)


class ChecklistItemSerializer(serializers.ModelSerializer):
    """One question of the review's checklist (from the project's phase) and its answer."""

    class Meta:
        model = ChecklistItem
        fields = ["code", "order", "text_ja", "text_en", "answer", "note"]
        read_only_fields = fields


class ReviewOutputSerializer(OutputSerializer):
    project = serializers.SlugRelatedField(slug_field="project_id", read_only=True,
                                           help_text="The project reviewed.")
    reviewer = _user("reviewer", help_text="The assigned reviewer's user name.")
    support_reviewer = _user("reviewer", help_text="The supporting reviewer (support follow-up).")
    open_findings = serializers.IntegerField(read_only=True, help_text="Findings and conditions still open.")
    checklist = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = Review
        fields = ["id", "project", "fiscal_year", "stage", "state", "phase", "reviewer", "follow_up",
                  "support_reviewer", "summary", "conclusion", "submitted_on", "decided_on", "open_findings",
                  "checklist", "created", "last_updated"]


class ReviewInputSerializer(ModelInputSerializer):
    """Open a review (draft): its checklist comes from the project's phase, open findings are carried in."""

    project = serializers.SlugRelatedField(slug_field="project_id", queryset=Project.objects.all(),
                                           help_text="The project's ID, among the projects you may see.")
    reviewer = _user_input(help_text="User name of the assigned reviewer (a reviewer or administrator).")

    class Meta:
        model = Review
        fields = ["project", "fiscal_year", "stage", "reviewer", "summary"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["project"].queryset = scope_queryset(request.user, Project.objects.all())
        return fields


class ReviewTransitionInputSerializer(InputSerializer):
    """Move a review along the workflow. Returning it needs a reason; an approval's reason becomes the
    reviewer's conclusion."""

    to_state = serializers.ChoiceField(choices=ReviewState.choices, help_text="The state to move to.")


class FindingOutputSerializer(OutputSerializer):
    review = BriefRelatedField(help_text="The review that raised it.")
    project = serializers.SlugRelatedField(slug_field="project_id", read_only=True)
    owner = _user("owner", help_text="User name of the person who answers it.")
    carried_into = BriefRelatedField(many=True, help_text="The later reviews it was carried into.")

    class Meta:
        model = Finding
        fields = ["id", "review", "project", "kind", "severity", "category", "phase", "text", "recommendation",
                  "owner", "due_on", "status", "response", "closed_on", "carried_into", "created", "last_updated"]


class FindingInputSerializer(ModelInputSerializer):
    """Raise a finding or a condition in a review being examined (the review's reviewers)."""

    review = serializers.PrimaryKeyRelatedField(queryset=Review.objects.all(), help_text="The review's ID.")
    owner = _user_input(help_text="User name of the person who answers it.")

    class Meta:
        model = Finding
        fields = ["review", "kind", "severity", "category", "text", "recommendation", "owner", "due_on"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["review"].queryset = scope_queryset(request.user, Review.objects.all(),
                                                       organization_field="project__organization")
        return fields


class FindingUpdateSerializer(ModelInputSerializer):
    """Follow a finding up: the PJMO answers and marks progress; reviewers close, withdraw or reassign it."""

    owner = _user_input(help_text="User name of the person who answers it (reviewers only).")

    class Meta:
        model = Finding
        fields = ["status", "response", "owner", "due_on"]


class ReviewFollowUpInputSerializer(InputSerializer):
    """How the monitoring working group follows the review up; a reason is required."""

    mode = serializers.ChoiceField(choices=FollowUp.choices, help_text="escalation, support or none.")
    support_reviewer = _user_input(help_text="User name of the supporting reviewer (support only).")


class ChecklistAnswerSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16, help_text="The question's code, as in the review's `checklist`.")
    answer = serializers.ChoiceField(choices=ChecklistAnswer.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class ChecklistInputSerializer(InputSerializer):
    """Answers to checklist questions: the PJMO while drafting, the reviewer while examining."""

    answers = ChecklistAnswerSerializer(many=True, allow_empty=False)
