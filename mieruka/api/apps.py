from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "mieruka.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from mieruka.core.audit import audit_listen

        from . import schema  # noqa: F401 - registers the token scheme with drf-spectacular
        from .tasks import on_audit_written

        # Webhooks: told of every committed change (core.audit knows nothing of the API).
        audit_listen(on_audit_written)
