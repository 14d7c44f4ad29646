"""API representation of a digital-staffing row: the organization by its code, FTE as decimals."""

from rest_framework import serializers

from mieruka.api.serializers import OutputSerializer

from ..models import DigitalStaffing


class DigitalStaffingOutputSerializer(OutputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    total_fte = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)
    internal_share = serializers.FloatField(read_only=True, allow_null=True,
                                            help_text="Percentage of in-house staff; null with nobody recorded.")
    target_reached = serializers.BooleanField(read_only=True, allow_null=True,
                                              help_text="In-house staff at or above the target; null without one.")

    class Meta:
        model = DigitalStaffing
        fields = ["id", "organization", "fiscal_year", "internal_fte", "external_fte", "total_fte",
                  "internal_target_fte", "internal_share", "target_reached", "note", "created", "last_updated"]
