import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.backup import backup_restore
from mieruka.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `mieruka backup` (all or nothing)"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes, **options):
        if not yes:
            if not sys.stdin.isatty():
                # Cron, scripts, CI: nobody can answer the question, so say how to skip it.
                raise CommandError(
                    "復元は現在のデータをすべて置き換えます。端末がないため確認できません。"
                    "確認済みなら --yes を付けて実行してください / A restore replaces all data and there is no "
                    "terminal to confirm it: run it again with --yes")
            try:
                answer = input("現在のデータはすべて置き換えられます。続けますか / This replaces all data. Continue? [y/N] ")
            except EOFError:
                answer = ""
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("中止しました / Cancelled")
        self.stdout.write(f"復元中 / Restoring from {path} …")
        try:
            counts = backup_restore(path=path)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"完了 / Done: {sum(counts.values()):,} records restored"))
