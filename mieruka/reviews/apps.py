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
