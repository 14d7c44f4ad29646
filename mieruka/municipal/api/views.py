"""API endpoint of municipal migration records, over the shared viewset (read-only: writes go through the
edit page and the `municipal_migrations` import)."""

from mieruka.api.viewsets import PortfolioViewSet

from ..filtersets import MunicipalMigrationFilterSet
from ..interchange import FIELDS, migration_export_rows
from ..models import MunicipalMigration
from .serializers import MunicipalMigrationOutputSerializer


class MunicipalMigrationViewSet(PortfolioViewSet):
    """Per municipality and business area, filtered like the list page; scoped by the municipality."""

    scope_field = "organization"
    lookup_value_regex = "[0-9]{1,18}"
    filterset_class = MunicipalMigrationFilterSet
    serializer_class = MunicipalMigrationOutputSerializer

    def get_base_queryset(self):
        return MunicipalMigration.objects.select_related("organization", "prefecture", "business_area")

    def export_rows(self, queryset):
        # The list page's download: the interchange `municipal_migrations` columns.
        yield list(FIELDS)
        for record in migration_export_rows(queryset):
            yield [record[name] for name in FIELDS]
