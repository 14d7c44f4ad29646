from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mieruka.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Sign-in is the one place Django offers only signals; they record events, not domain logic.
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import auth

        user_logged_in.connect(auth.on_user_logged_in, dispatch_uid="mieruka-login")
        user_login_failed.connect(auth.on_user_login_failed, dispatch_uid="mieruka-login-failed")
