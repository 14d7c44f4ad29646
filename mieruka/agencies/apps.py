from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "mieruka.agencies"
    label = "agencies"
    verbose_name = _("Independent agencies and GSS")

    def ready(self):
        # Reporting and inventory are lower apps: the 棚卸 record type, its campaign template and the system
        # page's panel reach them through the registries they own.
        from mieruka.inventory.panels import system_panels
        from mieruka.reporting.campaign_templates import register_template
        from mieruka.reporting.fields import record_type_register

        from . import inventory_form, panels

        record_type_register(inventory_form.AGENCY_INVENTORY)
        # The full JSON export carries `gss_migrations` through the interchange's table registry.
        from mieruka.interchange.registry import export_table_register

        from .interchange import GSS_TABLE, gss_export_rows

        export_table_register(GSS_TABLE, gss_export_rows)
        register_template(inventory_form.TEMPLATE)
        system_panels.register(name="agencies.inventory", template="agencies/includes/system_panel.html",
                               context=panels.system_inventory_panel, slot="main", order=40)
