"""`mieruka municipal import FILE` / `mieruka municipal export --out FILE`: the `municipal_migrations` table."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.municipal import interchange


class Command(BaseCommand):
    help = ("Import (CSV, or the municipal_migrations array of a JSON export) or export (CSV) the "
            "municipal_migrations table. An import with any bad row changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("import", "export"))
        parser.add_argument("path", nargs="?", help="file to import")
        parser.add_argument("--out", help="file to export to (CSV)")
        parser.add_argument("--user", help="the account to record as the actor (default: the operator)")
        parser.add_argument("--reason", default="", help="reason recorded in the change log")

    def handle(self, *args, action, path=None, out=None, user=None, reason="", **options):
        try:
            if action == "export":
                if not out:
                    raise CommandError("--out is required")
                Path(out).write_bytes(interchange.migration_csv_bytes(interchange.migration_export_rows()))
                self.stdout.write(f"書き出しました / written: {out}")
                return
            if not path:
                raise CommandError("a file to import is required")
            counts = interchange.migrations_import(actor=Actor.for_command(username=user),
                                                   content=Path(path).read_bytes(), name=path, reason=reason)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"新規 / created {counts['created']:,}, 更新 / updated {counts['updated']:,}, "
                          f"変更なし / unchanged {counts['unchanged']:,}")
