from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "mieruka.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self):
        # Security records as a whole are restricted: core hides their rows in the change log and in
        # histories from people who may not read them (core never imports this app).
        from mieruka.core.permissions import RESTRICTED_MODELS

        RESTRICTED_MODELS.update({"security.assessment", "security.securityfinding", "security.zerotrustcheck"})
        # The system page is inventory's: the security panel goes there through its registry.
        from mieruka.inventory.panels import system_panels

        from .views import system_security_panel

        system_panels.register(name="security.summary", template="security/includes/system_panel.html",
                               context=system_security_panel, order=40)
