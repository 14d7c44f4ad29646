"""API representations of systems, projects, interfaces and shared platforms.

Records refer to each other by natural key: organizations by code, systems by system ID, projects by
project ID, platforms by code — the identifiers people and other systems already use.
"""

from rest_framework import serializers

from mieruka.api.permissions import restricted_fields
from mieruka.api.serializers import ModelInputSerializer, OutputSerializer
from mieruka.core.permissions import scope_queryset
from mieruka.organizations.models import Organization

from ..choices import UserGroup
from ..models import BusinessFunction, InformationSystem, Interface, Project, SharedPlatform


def _code(queryset=None, **kwargs):
    if queryset is None:
        return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)
    return serializers.SlugRelatedField(slug_field="code", queryset=queryset, **kwargs)


class SharedPlatformOutputSerializer(OutputSerializer):
    class Meta:
        model = SharedPlatform
        fields = ["id", "code", "name_ja", "name_en", "description", "created", "last_updated"]


# What a client may write; reads add the ID and timestamps.
SYSTEM_FIELDS = [
    "system_id", "name_ja", "name_en", "organization", "classification", "status", "purpose", "functions",
    "users", "annual_users", "hosting", "platforms", "important", "started_on", "retired_on", "internal_notes",
    "function_tags", "processing_class", "architecture", "consolidation", "platform_integration",
]
PROJECT_FIELDS = [
    "project_id", "name_ja", "organization", "systems", "phase", "purpose", "important", "starts_on", "ends_on",
    "pjmo_staff", "pjmo_external", "kpi_name", "kpi_target", "kpi_actual", "reporting_frequency",
]


class SystemOutputSerializer(OutputSerializer):
    organization = _code(help_text="The owning organization's code.")
    platforms = _code(many=True, help_text="Codes of the shared platforms the system uses.")
    function_tags = _code(many=True, help_text="Business-function taxonomy codes (業務機能分類) of the system.")
    functions = serializers.ListField(child=serializers.CharField(), help_text="Business functions.")
    users = serializers.ListField(child=serializers.ChoiceField(choices=UserGroup.choices))
    budget_yen = serializers.IntegerField(
        source="fy_budget", read_only=True, allow_null=True,
        help_text="Initial budget in yen of the fiscal year `budget_fy` (default: the current one) — the figure "
                  "`sort=budget` and `budget_min_yen`/`budget_max_yen` use; null without budget lines.",
    )

    class Meta:
        model = InformationSystem
        fields = ["id", *SYSTEM_FIELDS, "budget_yen", "created", "last_updated"]


class SystemInputSerializer(ModelInputSerializer):
    organization = _code(Organization.objects.all(), help_text="The owning organization's code.")
    platforms = _code(
        SharedPlatform.objects.all(),
        many=True,
        required=False,
        help_text="Codes of the shared platforms used.",
    )
    function_tags = _code(
        BusinessFunction.objects.all(),
        many=True,
        required=False,
        help_text="Business-function taxonomy codes (業務機能分類).",
    )
    functions = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    users = serializers.ListField(child=serializers.ChoiceField(choices=UserGroup.choices), required=False)

    class Meta:
        model = InformationSystem
        fields = SYSTEM_FIELDS

    def get_fields(self):
        fields = super().get_fields()
        # Without clearance a restricted field can be neither seen nor written.
        request = self.context.get("request")
        for name in restricted_fields(InformationSystem, getattr(request, "user", None)):
            fields.pop(name, None)
        return fields


class ProjectOutputSerializer(OutputSerializer):
    organization = _code(allow_null=True, help_text="The owning organization's code.")
    systems = serializers.SlugRelatedField(
        slug_field="system_id",
        many=True,
        read_only=True,
        help_text="System IDs of the systems the project covers.",
    )
    operation_budget_yen = serializers.IntegerField(
        source="fy_operation_budget", read_only=True, allow_null=True,
        help_text="Initial operating budget in yen of the covered systems this fiscal year — the figure "
                  "`sort=budget` uses; null without budget lines.",
    )

    class Meta:
        model = Project
        fields = ["id", *PROJECT_FIELDS, "operation_budget_yen", "created", "last_updated"]


class ProjectInputSerializer(ModelInputSerializer):
    organization = _code(
        Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The owning organization's code (null: administrators only).",
    )
    systems = serializers.SlugRelatedField(
        slug_field="system_id",
        many=True,
        required=False,
        queryset=InformationSystem.objects.all(),
        help_text="System IDs of covered systems, among the systems you may see.",
    )

    class Meta:
        model = Project
        fields = PROJECT_FIELDS

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # A project may only cover systems its author can see, so IDs outside scope read as unknown.
            fields["systems"].child_relation.queryset = scope_queryset(
                request.user, InformationSystem.objects.all()
            )
        return fields


class InterfaceOutputSerializer(OutputSerializer):
    from_system = serializers.SlugRelatedField(slug_field="system_id", read_only=True)
    to_system = serializers.SlugRelatedField(slug_field="system_id", read_only=True)

    class Meta:
        model = Interface
        fields = ["id", "from_system", "to_system", "kind", "description", "created", "last_updated"]


class InterfaceInputSerializer(ModelInputSerializer):
    from_system = serializers.SlugRelatedField(
        slug_field="system_id",
        queryset=InformationSystem.objects.all(),
        help_text="System ID of the system the link starts from; its organization owns the link.",
    )
    to_system = serializers.SlugRelatedField(
        slug_field="system_id",
        queryset=InformationSystem.objects.all(),
        help_text="System ID of the system at the other end (any ministry's).",
    )

    class Meta:
        model = Interface
        fields = ["from_system", "to_system", "kind", "description"]


class SystemRetireInputSerializer(serializers.Serializer):
    """Retire a system (廃止): the date, the reason and, if any, the successor's system ID."""

    retired_on = serializers.DateField()
    reason = serializers.CharField(max_length=2000)
    successor = serializers.SlugRelatedField(slug_field="system_id", queryset=InformationSystem.objects.all(),
                                             required=False, allow_null=True,
                                             help_text="System ID of the system that takes over its work.")


class SystemRenameInputSerializer(serializers.Serializer):
    """Give a system a new system ID (administrators only); the old ID keeps resolving."""

    new_system_id = serializers.CharField(max_length=32)
    reason = serializers.CharField(max_length=2000)
