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
