from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestraintConfig(AppConfig):
    """Stopping excessive requests (度を越えた要求の制止): above reporting and reviews, which never refer to it."""

    name = "mieruka.restraint"
    label = "restraint"
    verbose_name = _("Excessive requests")

    def ready(self):
        from mieruka.core.panels import home_panels
        from mieruka.reporting.panels import campaign_panels, survey_panels

        from . import panels

        campaign_panels.register(name="restraint.campaign_flags", template="restraint/includes/campaign_flags.html",
                                 context=panels.campaign_flags_panel)
        survey_panels.register(name="restraint.survey_flags", template="restraint/includes/survey_flags.html",
                               context=panels.survey_flags_panel)
        home_panels.register(name="restraint.pending_flags", template="restraint/includes/home_pending_flags.html",
                             context=panels.home_pending_flags_panel, order=25)
