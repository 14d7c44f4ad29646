from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")


class ChangeSource(models.TextChoices):
    WEB = "web", _("Web page")
    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    IMPORT = "import", _("Import")
    DEMO = "demo", _("Demo generator")
    AUTH = "auth", _("Sign-in")


class Role(models.TextChoices):
    """What a person may do; the organization on their role sets where (for ministry roles)."""

    ADMIN = "admin", _("Digital Agency administrator")
    ANALYST = "analyst", _("Portfolio analyst")
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Ministry PJMO editor")
    VIEWER = "viewer", _("Ministry viewer")
