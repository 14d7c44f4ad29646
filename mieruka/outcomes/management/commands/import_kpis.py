"""`mieruka import_kpis PATH`: indicators from an RS 3-1 sheet or `service_kpis.csv`, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.audit import Actor
from mieruka.core.choices import ChangeSource
from mieruka.core.errors import ApplicationError
from mieruka.outcomes.importing import kpis_import


class Command(BaseCommand):
    help = "Import indicators from an RS 3-1 sheet (効果発現経路_目標・実績) or service_kpis.csv"

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file, UTF-8 or Shift_JIS")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--user", help="account to record as the actor (default: the OS login)")
        parser.add_argument("--reason", default="", help="reason recorded with every change")

    def handle(self, *args, **options):
        try:
            actor = Actor.for_command(username=options["user"], source=ChangeSource.IMPORT)
            result = kpis_import(actor=actor, data=Path(options["path"]).read_bytes(), dry_run=options["dry_run"],
                                 reason=options["reason"])
        except (ApplicationError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if result.errors:
            for error in result.errors[:200]:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors):,} 件の誤りがあるため、何も取り込みませんでした / "
                               f"Nothing was imported: {len(result.errors):,} problem(s) found", returncode=1)
        verb = "確認のみ / checked (nothing written)" if options["dry_run"] else "取り込み完了 / imported"
        self.stdout.write(f"{verb}: 新規 / new {result.created}, 更新 / updated {result.updated}, "
                          f"年度値 / yearly values {result.values}")
