from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "mieruka.tasks"
    label = "tasks"
    verbose_name = _("Background tasks")

    def ready(self):
        # Each app declares its background tasks in its own `tasks.py` and registers the ones an
        # administrator may start (the task list's buttons, `mieruka task start`); import them all
        # here, as the admin does for `admin.py`, so this app never names a higher one.
        autodiscover_modules("tasks")
