"""API representation of a municipal migration record: the municipality and area by their codes."""

from rest_framework import serializers

from mieruka.api.serializers import OutputSerializer

from ..models import MunicipalMigration


class MunicipalMigrationOutputSerializer(OutputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    local_government_code = serializers.CharField(source="organization.local_government_code", read_only=True)
    prefecture = serializers.SlugRelatedField(slug_field="code", read_only=True)
    business_area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = MunicipalMigration
        fields = ["id", "organization", "local_government_code", "prefecture", "business_area", "current_system",
                  "vendor", "package", "status", "target_on", "completed_on", "specific_support",
                  "specific_support_reason", "specific_support_deadline_fy", "baseline_cost_yen",
                  "current_cost_yen", "created", "last_updated"]
