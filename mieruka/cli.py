"""The `mieruka` console script: Django management commands under a short name (`mieruka demo`, …)."""

import os
import sys


def execute(argv: list[str]) -> None:
    """Run a management command; a settings problem is reported as one message, not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 — loads the settings (and .env) now, to report errors plainly
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"{os.path.basename(argv[0])}: {exc}\n")
        sys.exit(2)
    execute_from_command_line(argv)


def main() -> None:
    execute(["mieruka", *sys.argv[1:]])


if __name__ == "__main__":
    main()
