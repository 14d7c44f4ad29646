"""`mieruka gss_migrations export [FILE]` / `mieruka gss_migrations import FILE`: the gss_migrations table as CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError

from ...interchange import gss_migrations_csv, gss_migrations_import, read_csv


class Command(BaseCommand):
    help = "Export or import the ministry LANs' GSS migration schedule (table gss_migrations, CSV)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--user", help="the account the import is recorded under (default: the operator)")
        parser.add_argument("--reason", default="", help="reason recorded with every change")

    def handle(self, *args, action, file=None, user=None, reason="", **options):
        if action == "export":
            text = gss_migrations_csv()
            if file:
                Path(file).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
            return
        if not file:
            raise CommandError("import needs a FILE")
        try:
            actor = Actor.for_command(username=user)
            counts = gss_migrations_import(actor=actor, rows=read_csv(Path(file).read_bytes()), reason=reason)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"作成 {counts['created']}・更新 {counts['updated']}・変更なし {counts['unchanged']} / "
                          f"created {counts['created']}, updated {counts['updated']}, unchanged {counts['unchanged']}")
