"""API endpoint of digital staffing, over the shared viewset (read-only: rows are set on the page and by
the `digital_staffing` import)."""

from mieruka.api.viewsets import PortfolioViewSet

from ..filtersets import DigitalStaffingFilterSet
from ..selectors import digital_staffing_list
from .serializers import DigitalStaffingOutputSerializer


class DigitalStaffingViewSet(PortfolioViewSet):
    """In-house and external digital staff (FTE) per organization and fiscal year, against the target."""

    scope_field = None  # scoped by the selector, as the page is
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = DigitalStaffingFilterSet
    serializer_class = DigitalStaffingOutputSerializer

    def get_base_queryset(self):
        return digital_staffing_list(user=self.request.user)
