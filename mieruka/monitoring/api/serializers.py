"""API representations of status reports. The output is every field of the model (new fields appear by
themselves); the input is what the report form asks for."""

from rest_framework import serializers

from mieruka.api.serializers import ModelInputSerializer, OutputSerializer
from mieruka.core.permissions import scope_queryset
from mieruka.inventory.models import Project

from ..choices import RatingScale, RatingSource
from ..models import StatusReport


class StatusReportOutputSerializer(OutputSerializer):
    project = serializers.SlugRelatedField(slug_field="project_id", read_only=True, help_text="The project reported on.")
    filed_by = serializers.CharField(source="filed_by.username", read_only=True, allow_null=True,
                                     help_text="User name of the person who filed it.")

    class Meta:
        model = StatusReport
        fields = "__all__"


class StatusReportInputSerializer(ModelInputSerializer):
    """File the status report of an important project for one period (as on the report form)."""

    project = serializers.SlugRelatedField(slug_field="project_id", queryset=Project.objects.all(),
                                           help_text="The project's ID, among the projects you may see.")
    forecast_cost_yen = serializers.IntegerField(min_value=0, max_value=10**15, required=False, allow_null=True,
                                                 help_text="Forecast total cost in yen.")
    # The rating as given on its scale (green / amber_green / amber_red / 4 / withheld …): the service checks
    # it against `scale` and keeps both it and the normalised green / amber / red.
    overall = serializers.CharField(max_length=16, help_text="The overall rating, as given on `scale`.")
    scale = serializers.ChoiceField(choices=RatingScale.choices, required=False,
                                    help_text="The scale the rating was given on (default: 3-point RAG).")
    source = serializers.ChoiceField(choices=RatingSource.choices, required=False,
                                     help_text="Who gave it (default: the project's self-assessment).")

    class Meta:
        model = StatusReport
        fields = ["project", "period_end", "overall", "scale", "source", "schedule", "cost", "scope", "quality",
                  "staffing", "risk", "narrative", "forecast_cost_yen", "forecast_cost_withheld", "forecast_end_on"]
        # One report per project and period is the service's rule (a second filing amends the first).
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["project"].queryset = scope_queryset(request.user, Project.objects.all())
        return fields
