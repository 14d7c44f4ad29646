"""`migrate`, then the database cache's table: one command makes a database ready to serve.

The shared cache (CACHE_URL=db://, the default) keeps its entries in a table that migrations do not know
about; `createcachetable` makes it when missing and does nothing otherwise, also after a switch from Redis.
"""

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    def handle(self, *args, **options):
        super().handle(*args, **options)
        if not (options.get("plan") or options.get("check_unapplied")):
            call_command("createcachetable", database=options["database"], verbosity=options["verbosity"])
