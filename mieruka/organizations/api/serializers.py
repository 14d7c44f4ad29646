"""API representations of organizations: references by organization code, not database ID."""

from rest_framework import serializers

from mieruka.api.serializers import ModelInputSerializer, OutputSerializer

from ..models import Organization


class OrganizationOutputSerializer(OutputSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The parent organization's code (null at the top).",
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name_ja",
            "name_en",
            "kind",
            "parent",
            "order",
            "corporate_number",
            "local_government_code",
            "created",
            "last_updated",
        ]


class OrganizationInputSerializer(ModelInputSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The parent organization's code; editors may only add organizations under their own.",
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name_ja",
            "name_en",
            "kind",
            "parent",
            "order",
            "corporate_number",
            "local_government_code",
        ]
