"""API endpoints of organizations."""

import django_filters

from mieruka.api.viewsets import WritableViewSet

from ..choices import OrganizationKind
from ..models import Organization
from ..selectors import organization_list
from ..services import organization_create, organization_delete, organization_update
from .serializers import OrganizationInputSerializer, OrganizationOutputSerializer


class OrganizationFilterSet(django_filters.FilterSet):
    """TEMPORARY: replace with mieruka.organizations.filtersets.OrganizationFilterSet once it exists."""

    q = django_filters.CharFilter(method="filter_keyword", label="Keyword (name or code)")
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices)
    parent = django_filters.CharFilter(field_name="parent__code", label="Parent organization code")

    class Meta:
        model = Organization
        fields: list[str] = []

    def filter_keyword(self, queryset, name, value):
        from mieruka.inventory.filtersets import keyword_q

        return queryset.filter(keyword_q(value, ["code", "name_ja", "name_en"]))


class OrganizationViewSet(WritableViewSet):
    """Ministries, agencies, bureaus, divisions, independent agencies and local governments.

    Ministry users see their own organization's subtree. An organization belongs to its parent for
    writes: editors add, change and remove bureaus and divisions under their ministry; top-level
    organizations are changed by administrators only.
    """

    scope_field = "pk"
    owner = "parent"
    lookup_field = "code"
    filterset_class = OrganizationFilterSet
    serializer_class = OrganizationOutputSerializer
    input_serializer_class = OrganizationInputSerializer

    def get_base_queryset(self):
        return organization_list()

    def perform_create_service(self, *, actor, data, reason):
        return organization_create(actor=actor, data=data, reason=reason)

    def perform_update_service(self, *, actor, instance, data, reason):
        return organization_update(actor=actor, organization=instance, data=data, reason=reason)

    def perform_delete_service(self, *, actor, instance, reason):
        organization_delete(actor=actor, organization=instance, reason=reason)
