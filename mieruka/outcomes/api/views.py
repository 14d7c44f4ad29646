"""API endpoints of services and indicators, over the shared viewset (read-only: writes go through the
pages and the RS import)."""

from mieruka.api.viewsets import PortfolioViewSet

from ..filtersets import KpiFilterSet, ServiceFilterSet
from ..selectors import kpi_visible_list, service_visible_list
from .serializers import KpiOutputSerializer, ServiceOutputSerializer


class ServiceViewSet(PortfolioViewSet):
    """Services (行政手続・サービス) with their systems and indicator count, filtered like the services page."""

    scope_field = None  # scoped by the selector, which also confines the systems listed to what one may read
    lookup_field = "code"
    filterset_class = ServiceFilterSet
    serializer_class = ServiceOutputSerializer

    def get_base_queryset(self):
        return service_visible_list(user=self.request.user).order_by("code")


class KpiViewSet(PortfolioViewSet):
    """Indicators with their yearly targets, actuals and achievement rates, filtered like the indicators page."""

    scope_field = None  # scoped by the selector
    lookup_field = "code"
    filterset_class = KpiFilterSet
    serializer_class = KpiOutputSerializer

    def get_base_queryset(self):
        return kpi_visible_list(user=self.request.user).order_by("code")
