from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalConfig(AppConfig):
    name = "mieruka.municipal"
    label = "municipal"
    verbose_name = _("Municipal standardization")

    def ready(self):
        # The export carries `municipal_migrations` through the interchange's table registry, so the
        # interchange app never imports this one.
        from mieruka.interchange.registry import export_table_register

        from .interchange import MIGRATIONS_TABLE, migration_export_rows

        export_table_register(MIGRATIONS_TABLE, migration_export_rows)
        # Campaigns may ask municipalities for these records, pre-filled like every return.
        from mieruka.reporting.fields import record_type_register

        from .reporting import MUNICIPAL_MIGRATION

        record_type_register(MUNICIPAL_MIGRATION)
