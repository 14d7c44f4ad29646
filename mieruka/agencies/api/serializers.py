"""API representation of a ministry LAN's merger into GSS: the organization by its code."""

from rest_framework import serializers

from mieruka.api.serializers import OutputSerializer

from ..models import GssMigration


class GssMigrationOutputSerializer(OutputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = GssMigration
        fields = ["id", "lan_code", "name_ja", "organization", "status", "planned_on", "merged_on", "staff_count",
                  "note", "created", "last_updated"]
