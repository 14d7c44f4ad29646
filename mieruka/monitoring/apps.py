from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "mieruka.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # The home page is core's; monitoring adds status reports due and rising risk through core's registry.
        from mieruka.core.panels import home_panels

        from . import panels

        home_panels.register(name="monitoring.my_status_reports",
                             template="monitoring/includes/home_my_status_reports.html",
                             context=panels.my_status_reports_panel, order=25)
        home_panels.register(name="monitoring.risk_rising", template="monitoring/includes/home_risk_rising.html",
                             context=panels.risk_rising_panel, order=45)
