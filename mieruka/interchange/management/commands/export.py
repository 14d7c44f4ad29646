"""`mieruka export`: the portfolio as interchange files, the open-data set, or the template workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.errors import ApplicationError
from mieruka.interchange import schema, writers
from mieruka.interchange.selectors import SYSTEM_FILTERS, portfolio_export


class Command(BaseCommand):
    help = ("Export the portfolio (CSV folder, XLSX or JSON), the open-data set (--open-data) or the "
            "template workbook for ministries (--template). Filters are those of the systems page.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
        parser.add_argument("--out", required=True,
                            help="a folder for csv and --open-data, a file for xlsx, json and --template")
        parser.add_argument("--open-data", action="store_true",
                            help="the public subset as CSV and JSON with a data dictionary")
        parser.add_argument("--template", action="store_true", help="an empty XLSX template with dropdowns")
        parser.add_argument("--user", help="export as this person may read: security findings only if they "
                                             "may read them (the operator, without --user, reads all)")
        parser.add_argument("--headers", choices=("en", "ja"), default="en",
                            help="header language of CSV and XLSX (default en)")
        group = parser.add_argument_group("filters (as on the systems page)")
        group.add_argument("--organization", help="organization code; includes its sub-organizations")
        group.add_argument("--classification")
        group.add_argument("--status")
        group.add_argument("--hosting")
        group.add_argument("--platform", help="shared platform code")
        group.add_argument("--important", choices=("yes", "no"))
        group.add_argument("--q", help="keyword in names and purpose")
        group.add_argument("--processing-class", dest="processing_class",
                           help="情報処理システム分類 code, or none")
        group.add_argument("--architecture", help="アーキテクチャ code, or none")
        group.add_argument("--consolidation", help="統廃合該非 code (1, 2), or none")
        group.add_argument("--platform-integration", dest="platform_integration",
                           help="PF統合該非 code (1, 2), or none")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if options["template"]:
            out.write_bytes(writers.template_xlsx())
            self.stdout.write(f"テンプレートを書き出しました / template written: {out}")
            return
        filters = {name: options[name] for name in SYSTEM_FILTERS if options.get(name)}
        try:
            user = None
            if options.get("user"):
                from django.contrib.auth import get_user_model

                user = get_user_model().objects.filter(username=options["user"]).first()
                if user is None:
                    raise CommandError(f"ユーザーが見つかりません / no such user: {options['user']}")
            tables = portfolio_export(filters=filters, public=options["open_data"], user=user)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        if options["open_data"]:
            out.mkdir(parents=True, exist_ok=True)
            for name, content in writers.open_data_files(tables).items():
                (out / name).write_bytes(content)
        elif options["format"] == "csv":
            out.mkdir(parents=True, exist_ok=True)
            for name in (*schema.TABLE_ORDER, *schema.EXPORT_ONLY_TABLES):
                (out / f"{name}.csv").write_bytes(writers.csv_bytes(name, tables[name], lang=options["headers"]))
        elif options["format"] == "xlsx":
            out.write_bytes(writers.xlsx_bytes(tables, lang=options["headers"]))
        else:
            out.write_bytes(writers.json_bytes(tables))
        counts = ", ".join(f"{name} {len(records):,}" for name, records in tables.items())
        self.stdout.write(f"書き出しました / exported to {out}: {counts}")
