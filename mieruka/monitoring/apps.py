from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "mieruka.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # The overview's figures become filters of inventory's projects list (through its registry), so
        # each tile links to exactly the projects it counts.
        from django.utils import timezone

        from mieruka.inventory.registry import project_signals

        from . import selectors

        labels = {"important": _("Important projects (monitored)"), "red": _("Computed signal: red"),
                  "amber": _("Computed signal: amber"), "green": _("Computed signal: green"),
                  "flagged": _("Human rating better than computed"), "overdue": _("Status report overdue")}
        for order, (key, label) in enumerate(labels.items()):
            project_signals.register(
                key=f"monitoring_{key}", label=label, order=20 + order,
                members=lambda queryset, fiscal_year, key=key: selectors.projects_with_signal(
                    queryset=queryset, signal=key, today=timezone.localdate()))

        # The home page is core's; monitoring adds status reports due and rising risk through core's registry.
        from mieruka.core.panels import home_panels

        from . import panels

        home_panels.register(name="monitoring.my_status_reports",
                             template="monitoring/includes/home_my_status_reports.html",
                             context=panels.my_status_reports_panel, order=25)
        home_panels.register(name="monitoring.risk_rising", template="monitoring/includes/home_risk_rising.html",
                             context=panels.risk_rising_panel, order=45)
