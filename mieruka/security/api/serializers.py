"""API representation of security findings: the system by its ID, and whether it is past its SLA."""

from rest_framework import serializers

from mieruka.api.serializers import OutputSerializer

from ..models import SecurityFinding


class SecurityFindingOutputSerializer(OutputSerializer):
    """One continuous-diagnosis finding (restricted: cleared roles and the system's own PJMO only)."""

    system = serializers.SlugRelatedField(slug_field="system_id", read_only=True)

    class Meta:
        model = SecurityFinding
        fields = ["id", "finding_id", "system", "title", "severity", "found_on", "due_on", "fixed_on", "status",
                  "acceptance_reason", "source", "notes", "created", "last_updated"]
