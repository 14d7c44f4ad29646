"""API representation of services and indicators: references by their codes, each indicator's years with
the target in force and the achievement rate computed as on its page."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mieruka.api.serializers import OutputSerializer

from .. import achievement, selectors
from ..models import Kpi, Service


class ServiceOutputSerializer(OutputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    systems = serializers.SlugRelatedField(slug_field="system_id", many=True, read_only=True)
    # `url` is the record's API address on every record, so the service's web page goes by another name.
    web_page = serializers.URLField(source="url", read_only=True)
    kpi_count = serializers.IntegerField(read_only=True, help_text="Number of its indicators.")

    class Meta:
        model = Service
        fields = ["id", "code", "name_ja", "name_en", "organization", "systems", "description", "web_page",
                  "kpi_count", "created", "last_updated"]


class KpiYearSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    target = serializers.DecimalField(max_digits=18, decimal_places=3, allow_null=True,
                                      help_text="The target in force that year (the year's own or the final one).")
    actual = serializers.DecimalField(max_digits=18, decimal_places=3, allow_null=True)
    actual_withheld = serializers.BooleanField(help_text="The actual is not published (非公表); null, not zero.")
    rate = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True,
                                    help_text="Achievement rate in percent; null without a target or an actual.")


def _years(kpi: Kpi) -> list[achievement.YearResult]:
    # Computed once per indicator and kept on it, for `years` and `latest_rate` alike.
    if not hasattr(kpi, "_api_results"):
        kpi._api_results = selectors.kpi_results(kpi)
    return kpi._api_results


class KpiOutputSerializer(OutputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    project = serializers.SlugRelatedField(slug_field="project_id", read_only=True, allow_null=True)
    years = serializers.SerializerMethodField()
    latest_rate = serializers.SerializerMethodField()

    class Meta:
        model = Kpi
        fields = ["id", "code", "name_ja", "name_en", "organization", "service", "project", "level", "term",
                  "goal", "unit", "direction", "standard", "target_year", "target_value", "years",
                  "latest_rate", "created", "last_updated"]

    @extend_schema_field(KpiYearSerializer(many=True))
    def get_years(self, obj):
        return KpiYearSerializer(_years(obj), many=True).data

    @extend_schema_field(serializers.DecimalField(
        max_digits=12, decimal_places=1, allow_null=True,
        help_text="Achievement rate of the latest year with an actual; null if none is rated."))
    def get_latest_rate(self, obj):
        latest = achievement.latest_with_data(_years(obj))
        if latest is None or latest.rate is None:
            return None
        return serializers.DecimalField(max_digits=12, decimal_places=1).to_representation(latest.rate)
