"""`mieruka import PATH...`: import interchange files (CSV, XLSX, JSON; files or folders), all-or-nothing."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from mieruka.core.audit import Actor
from mieruka.core.choices import ChangeSource
from mieruka.core.errors import ApplicationError
from mieruka.interchange import readers, report
from mieruka.interchange.services import portfolio_import


class Command(BaseCommand):
    help = ("Import portfolio data in the interchange format (docs/interchange.md). "
            "All-or-nothing: any invalid row changes nothing and exits with status 1.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="CSV, XLSX or JSON files, or folders of them")
        parser.add_argument("--dry-run", action="store_true",
                            help="report what would be created, updated and left unchanged; write nothing")
        parser.add_argument("--user", help="account to record as the actor (default: the OS login)")
        parser.add_argument("--reason", default="", help="reason recorded with every change")
        parser.add_argument("--report-json", help="write the full error report (or the plan) to this JSON file")
        parser.add_argument("--details", default="50",
                            help="rows listed per table in the dry-run report (a number or 'all'; default 50)")

    def handle(self, *args, **options):
        try:
            actor = Actor.for_command(username=options["user"], source=ChangeSource.IMPORT)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        details = None if options["details"] == "all" else int(options["details"])
        sources, issues = readers.sources_from_paths(options["paths"])

        def progress(message):
            self.stderr.write(f"… {message}")

        result = portfolio_import(actor=actor, sources=sources, dry_run=options["dry_run"], progress=progress,
                                  reason=options["reason"])
        result.issues = issues + result.issues
        if options["report_json"]:
            self._write_json(options["report_json"], result)
        if result.issues:
            self.stderr.write(report.format_issues(result.issues))
            raise CommandError(
                f"{len(result.issues):,} 件の誤りがあるため、何も取り込みませんでした / "
                f"Nothing was imported: {len(result.issues):,} problem(s) found", returncode=1)
        self.stdout.write(report.format_summary(result.plan, applied=result.applied))
        if options["dry_run"]:
            detail = report.format_details(result.plan, limit=details)
            if detail:
                self.stdout.write(detail)
            self.stdout.write(f"ドライラン: 何も書き込んでいません / Dry run: nothing was written "
                              f"({result.elapsed:.1f} s)")
            return
        self.stdout.write(f"取り込み完了 / Import done in {result.elapsed:.1f} s")
        self.stdout.write(f"バッチID / batch ID: {result.request_id}")
        self.stdout.write(f"変更履歴 / change log: {reverse('changelog')}?request_id={result.request_id}")

    def _write_json(self, path, result):
        document = {
            "ok": result.ok, "applied": result.applied, "request_id": str(result.request_id),
            "files": result.files, "issues": [i.as_dict() for i in result.issues],
            "counts": result.plan.counts() if result.plan else None,
            "new_platforms": result.plan.new_platforms if result.plan else [],
        }
        with open(path, "w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=1)
        print(f"report written to {path}", file=sys.stderr)
