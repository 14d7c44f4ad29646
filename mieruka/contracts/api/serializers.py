"""API representations of contracts: organizations by code, systems by system ID, projects by project ID."""

from rest_framework import serializers

from mieruka.api.serializers import ModelInputSerializer, OutputSerializer
from mieruka.inventory.models import InformationSystem, Project
from mieruka.organizations.models import Organization

from ..models import CloudUsage, Contract

CONTRACT_FIELDS = [
    "contract_number", "title", "organization", "systems", "project", "vendor_name", "vendor_corporate_number",
    "method", "bidders_count", "bidders_count_withheld", "estimated_price_yen", "estimated_price_withheld",
    "amount_yen", "award_rate", "award_rate_withheld", "single_bid_reason", "fiscal_year", "category",
    "starts_on", "ends_on",
]


class ContractOutputSerializer(OutputSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    systems = serializers.SlugRelatedField(slug_field="system_id", many=True, read_only=True)
    project = serializers.SlugRelatedField(slug_field="project_id", read_only=True)

    class Meta:
        model = Contract
        fields = ["id", *CONTRACT_FIELDS, "single_bid", "created", "last_updated"]


class ContractInputSerializer(ModelInputSerializer):
    """A contract as a client writes it; `single_bid` is derived, and `award_rate` is computed whenever
    both amounts are given (a given rate must then agree)."""

    organization = serializers.SlugRelatedField(
        slug_field="code", queryset=Organization.objects.all(), required=False,
        help_text="The contracting organization's code; when omitted, that of the first system or the project.",
    )
    systems = serializers.SlugRelatedField(
        slug_field="system_id", queryset=InformationSystem.objects.all(), many=True, required=False,
    )
    project = serializers.SlugRelatedField(
        slug_field="project_id", queryset=Project.objects.all(), required=False, allow_null=True,
    )
    amount_yen = serializers.IntegerField(min_value=0, max_value=10**15, help_text="The contract amount in yen.")
    estimated_price_yen = serializers.IntegerField(
        min_value=0, max_value=10**15, required=False, allow_null=True, help_text="The estimated price in yen.",
    )

    class Meta:
        model = Contract
        fields = CONTRACT_FIELDS


class CloudUsageOutputSerializer(OutputSerializer):
    """One month's government-cloud charge of a system (account × service category), integer yen."""

    system = serializers.SlugRelatedField(slug_field="system_id", read_only=True)

    class Meta:
        model = CloudUsage
        fields = ["id", "system", "month", "account", "service_category", "amount_yen", "created", "last_updated"]
