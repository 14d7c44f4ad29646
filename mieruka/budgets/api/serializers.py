"""API representations of budget lines (integer yen; the system by its system ID)."""

from rest_framework import serializers

from mieruka.api.serializers import InputSerializer, ModelInputSerializer, OutputSerializer
from mieruka.inventory.models import InformationSystem

from ..models import BudgetLine


class BudgetLineOutputSerializer(OutputSerializer):
    system = serializers.SlugRelatedField(slug_field="system_id", read_only=True)

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "system",
            "fiscal_year",
            "category",
            "stage",
            "appropriation",
            "amount_yen",
            "created",
            "last_updated",
        ]


class BudgetLineInputSerializer(ModelInputSerializer):
    """A new line. One line per system × fiscal year × category × stage × appropriation: an existing
    line is changed with PUT/PATCH (and If-Match), never overwritten by a second POST."""

    system = serializers.SlugRelatedField(slug_field="system_id", queryset=InformationSystem.objects.all())
    amount_yen = serializers.IntegerField(min_value=0, max_value=10**15, help_text="The amount in yen.")

    class Meta:
        model = BudgetLine
        fields = ["system", "fiscal_year", "category", "stage", "appropriation", "amount_yen"]


class BudgetLineAmountSerializer(InputSerializer):
    """A change to a line: only its amount; to move an amount to another year or stage, delete and add."""

    amount_yen = serializers.IntegerField(min_value=0, max_value=10**15, help_text="The amount in yen.")
