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

        self._register_signals()
        template = "insights/includes/similar_existing.html"
        system_draft_panels.register(name="insights.similar_systems", template=template,
                                     context=similar_to_draft_panel, order=10)
        review_panels.register(name="insights.similar_systems", template=template,
                               context=similar_to_review_panel, order=10)
        system_panels.register(name="insights.consolidation", template="insights/includes/system_consolidation.html",
                               context=consolidation_panel, order=20)

    @staticmethod
    def _register_signals():
        # The risk chart's signals and the staffing rule become filters and a column of inventory's lists,
        # so each bar links to exactly the systems or projects it counted.
        from mieruka.inventory.registry import project_signals, system_signals

        from . import selectors

        labels = {
            "low_execution": _("Low execution"),
            "overrun": _("Executed more than available"),
            "growth": _("Operating cost request rising"),
        }
        for order, key in enumerate(selectors.RISK_SIGNALS):
            system_signals.register(
                key=key, label=labels[key], order=10 + order,
                members=lambda queryset, fiscal_year, key=key: selectors.systems_with_risk(
                    queryset=queryset, fiscal_year=fiscal_year, signal=key))
        project_signals.register(
            key="reinforce", label=_("PJMO to reinforce (重点配置)"), order=10,
            members=lambda queryset, fiscal_year: selectors.projects_to_reinforce(
                queryset=queryset, fiscal_year=fiscal_year))
