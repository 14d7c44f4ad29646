"""API endpoint of GSS migrations, over the shared viewset (read-only: writes go through the LAN's page)."""

from mieruka.api.viewsets import PortfolioViewSet

from ..filtersets import GssMigrationFilterSet
from ..selectors import gss_migration_list
from .serializers import GssMigrationOutputSerializer


class GssMigrationViewSet(PortfolioViewSet):
    """Ministry LANs (府省LAN) and their merger into GSS, filtered like the GSS schedule page."""

    scope_field = None  # scoped by the selector, as the pages are
    lookup_field = "lan_code"
    filterset_class = GssMigrationFilterSet
    serializer_class = GssMigrationOutputSerializer

    def get_base_queryset(self):
        return gss_migration_list(user=self.request.user)
