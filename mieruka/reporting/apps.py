from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "mieruka.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        # The home page is core's; reporting adds its work lists there through core's registry.
        from mieruka.core.panels import home_panels
        from mieruka.inventory.panels import (
            project_list_extras,
            project_panels,
            system_list_extras,
            system_panels,
        )

        from . import panels

        home_panels.register(name="reporting.my_returns", template="reporting/includes/home_my_returns.html",
                             context=panels.my_returns_panel, order=20)
        home_panels.register(name="reporting.overdue_by_ministry",
                             template="reporting/includes/home_overdue_by_ministry.html",
                             context=panels.overdue_by_ministry_panel, order=40)
        home_panels.register(name="reporting.stale_records", template="reporting/includes/home_stale_records.html",
                             context=panels.stale_records_panel, order=50)
        # The system and project pages and lists are inventory's: freshness goes there through its registries.
        for registry in (system_panels, project_panels):
            registry.register(name="reporting.freshness", template="reporting/includes/freshness_panel.html",
                              context=panels.record_freshness_panel, slot="summary", order=10)
        for extras in (system_list_extras, project_list_extras):
            extras.register(name="reporting.freshness", loader=panels.list_freshness, version=panels.list_freshness_version)
