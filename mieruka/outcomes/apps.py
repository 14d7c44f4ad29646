from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "mieruka.outcomes"
    label = "outcomes"
    verbose_name = _("Service outcomes")

    def ready(self):
        # Inventory's system and project pages show the services and indicators through its registries.
        from mieruka.inventory.panels import project_panels, system_panels

        from . import panels

        system_panels.register(name="outcomes.services", template="outcomes/includes/system_services.html",
                               context=panels.system_services_panel, order=60)
        project_panels.register(name="outcomes.kpis", template="outcomes/includes/project_kpis.html",
                                context=panels.project_kpis_panel, order=60)
