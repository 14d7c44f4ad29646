from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "mieruka.organizations"
    label = "organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from mieruka.core.search import search_providers

        from .searches import search_organizations

        search_providers.register(key="organizations", label=_("Organizations"), search=search_organizations,
                                  order=20)
