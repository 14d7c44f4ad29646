from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "mieruka.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self):
        # The home page is core's; plans adds its alarms panel there through core's registry.
        from mieruka.core.panels import home_panels

        from .views import home_stop_alarms_panel

        home_panels.register(name="plans.stop_alarms", template="plans/includes/home_stop_alarms.html",
                             context=home_stop_alarms_panel, order=10)
        # The system and project pages and lists are inventory's: the decision badge goes there through
        # inventory's registries.
        from mieruka.inventory.panels import (
            project_list_extras,
            project_panels,
            system_list_extras,
            system_panels,
        )

        from . import panels

        template = "plans/includes/decision_panel.html"
        system_panels.register(name="plans.decision", template=template, context=panels.system_decision_panel,
                               slot="title", order=10)
        project_panels.register(name="plans.decision", template=template, context=panels.project_decision_panel,
                                slot="title", order=10)
        system_list_extras.register(name="plans.decisions", loader=panels.system_list_decisions)
        project_list_extras.register(name="plans.decisions", loader=panels.project_list_decisions)
        self._register_signals()

    @staticmethod
    def _register_signals():
        # Stop decisions become filters and a column of inventory's systems list (through its registry).
        from django.utils import timezone

        from mieruka.inventory.registry import system_signals

        from . import selectors

        for order, (key, label) in enumerate((("stop_tracked", _("Stop or merge decided")),
                                              ("stop_alarm", _("Stop decision with an alarm")))):
            system_signals.register(
                key=key, label=label, order=40 + order,
                members=lambda queryset, fiscal_year, key=key: selectors.systems_with_stop_signal(
                    queryset=queryset, signal=key, today=timezone.localdate()))

