from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.backup import backup_create
from mieruka.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Back up the whole database (portfolio, users, audit trail) to PATH.json.gz"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path, **options):
        self.stdout.write(f"バックアップ中 / Backing up to {path} …")
        try:
            counts = backup_create(path=path)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"完了 / Done: {total:,} records in {len(counts)} tables"))
        for label, n in sorted(counts.items()):
            if n:
                self.stdout.write(f"  {label:40} {n:>10,}")
