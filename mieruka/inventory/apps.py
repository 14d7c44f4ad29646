from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "mieruka.inventory"
    label = "inventory"
    verbose_name = _("Information systems")

    def ready(self):
        # The site-wide search (core's page) finds systems and projects through core's registry.
        from mieruka.core.search import search_providers

        from .searches import search_projects, search_systems

        search_providers.register(key="systems", label=_("Information systems"), search=search_systems, order=10)
        search_providers.register(key="projects", label=_("Projects"), search=search_projects, order=30)
