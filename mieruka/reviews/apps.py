from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "mieruka.reviews"
    label = "reviews"
    verbose_name = _("Reviews")

    def ready(self):
        from mieruka.core.search import search_providers

        from .searches import search_reviews

        search_providers.register(key="reviews", label=_("Reviews"), search=search_reviews, order=40)

        # The home page is core's; reviews adds the review queue and open findings through core's registry.
        from mieruka.core.panels import home_panels

        from . import home_panels as panels

        home_panels.register(name="reviews.queue", template="reviews/includes/home_review_queue.html",
                             context=panels.review_queue_panel, order=15)
        home_panels.register(name="reviews.my_findings", template="reviews/includes/home_my_findings.html",
                             context=panels.my_findings_panel, order=30)
