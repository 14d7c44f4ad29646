from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "mieruka.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        # Inventory's system form and the review page are lower apps' pages: insights adds the similar
        # existing systems to them through the registries they own, and they never import insights.
        from mieruka.inventory.panels import system_draft_panels, system_panels
        from mieruka.reviews.panels import review_panels

        from .panels import consolidation_panel, similar_to_draft_panel, similar_to_review_panel

        template = "insights/includes/similar_existing.html"
        system_draft_panels.register(name="insights.similar_systems", template=template,
                                     context=similar_to_draft_panel, order=10)
        review_panels.register(name="insights.similar_systems", template=template,
                               context=similar_to_review_panel, order=10)
        system_panels.register(name="insights.consolidation", template="insights/includes/system_consolidation.html",
                               context=consolidation_panel, order=20)
