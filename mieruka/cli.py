"""The `mieruka` console script: Django management commands under a short name (`mieruka demo`, …)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mieruka.conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mieruka", *sys.argv[1:]])


if __name__ == "__main__":
    main()
