"""API representations of mid-term plans (with their initiatives) and of decisions."""

from rest_framework import serializers

from mieruka.api.serializers import ModelInputSerializer, OutputSerializer
from mieruka.core.permissions import scope_queryset, visible_organization_ids
from mieruka.inventory.models import InformationSystem, Project
from mieruka.organizations.models import Organization

from ..models import Decision, Initiative, MidTermPlan


def _visible_ids(context) -> set[int] | None:
    """The organizations the caller reads (None: all), computed once per request."""
    request = context.get("request")
    if request is None:
        return set()
    if not hasattr(request, "_mieruka_visible_ids"):
        request._mieruka_visible_ids = visible_organization_ids(request.user)
    return request._mieruka_visible_ids


class InitiativeSerializer(serializers.ModelSerializer):
    """One initiative of a plan and its target; systems and projects outside your scope are left out."""

    systems = serializers.SerializerMethodField(help_text="System IDs of the systems it is measured on.")
    projects = serializers.SerializerMethodField(help_text="Project IDs of its projects.")

    class Meta:
        model = Initiative
        fields = ["code", "title", "description", "metric", "base_year", "target_year", "target_reduction_pct",
                  "systems", "projects"]
        read_only_fields = fields

    def _visible(self, records) -> list:
        ids = _visible_ids(self.context)
        return [r for r in records if ids is None or r.organization_id in ids]

    def get_systems(self, obj) -> list[str]:
        return [s.system_id for s in self._visible(obj.systems.all())]

    def get_projects(self, obj) -> list[str]:
        return [p.project_id for p in self._visible(obj.projects.all())]


class PlanOutputSerializer(OutputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                                help_text="The ministry whose plan it is.")
    initiatives = InitiativeSerializer(many=True, read_only=True)

    class Meta:
        model = MidTermPlan
        fields = ["id", "code", "title", "organization", "start_year", "end_year", "description", "initiatives",
                  "created", "last_updated"]


class PlanInputSerializer(ModelInputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", queryset=Organization.objects.all(),
                                                help_text="The organization's code.")

    class Meta:
        model = MidTermPlan
        fields = ["organization", "code", "title", "start_year", "end_year", "description"]
        # The service says that a code is taken, in both languages.
        extra_kwargs = {"code": {"validators": []}}


class DecisionOutputSerializer(OutputSerializer):
    """A decision; the merge target or successor is null where it is another organization's system you
    may not see."""

    system = serializers.SlugRelatedField(slug_field="system_id", read_only=True, allow_null=True)
    project = serializers.SlugRelatedField(slug_field="project_id", read_only=True, allow_null=True)
    merged_into = serializers.SlugRelatedField(slug_field="system_id", read_only=True, allow_null=True,
                                               help_text="For a merge: the system it is merged into.")
    successor = serializers.SlugRelatedField(slug_field="system_id", read_only=True, allow_null=True,
                                             help_text="For a stop: the system that takes over its work.")
    retire_deadline = serializers.DateField(read_only=True, help_text=(
        "For a stop or merge: the date the system must be retired by (`retire_by`, else 31 March before the "
        "effective fiscal year)."))
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Decision
        fields = ["id", "system", "project", "kind", "merged_into", "successor", "rationale", "decided_on",
                  "decided_by", "effective_year", "retire_by", "retire_deadline", "recorded_by", "created",
                  "last_updated"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        ids = _visible_ids(self.context)
        for name in ("merged_into", "successor"):
            other = getattr(instance, name)
            if name in data and other is not None and ids is not None and other.organization_id not in ids:
                data[name] = None
        return data


class DecisionInputSerializer(ModelInputSerializer):
    """A stop / scale-down / merge / continue decision on exactly one system or one project (yours)."""

    system = serializers.SlugRelatedField(slug_field="system_id", queryset=InformationSystem.objects.all(),
                                          required=False, allow_null=True, help_text="The system decided on.")
    project = serializers.SlugRelatedField(slug_field="project_id", queryset=Project.objects.all(),
                                           required=False, allow_null=True, help_text="The project decided on.")
    merged_into = serializers.SlugRelatedField(slug_field="system_id", queryset=InformationSystem.objects.all(),
                                               required=False, allow_null=True,
                                               help_text="For a merge: the system it is merged into.")
    successor = serializers.SlugRelatedField(slug_field="system_id", queryset=InformationSystem.objects.all(),
                                             required=False, allow_null=True,
                                             help_text="For a stop: the system that takes over its work.")

    class Meta:
        model = Decision
        fields = ["system", "project", "kind", "merged_into", "successor", "rationale", "decided_on",
                  "decided_by", "effective_year", "retire_by"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["system"].queryset = scope_queryset(request.user, InformationSystem.objects.all())
            fields["project"].queryset = scope_queryset(request.user, Project.objects.all())
        return fields
