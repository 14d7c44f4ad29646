from django.core.management.base import BaseCommand, CommandError

from mieruka.core.errors import ApplicationError
from mieruka.demo import generator
from mieruka.demo.data import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic, deterministic demo portfolio (organizations, systems, projects, "
        "interfaces, ten years of budgets, audit trail). Demo data and logins only: never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--systems", type=int, default=generator.DEFAULT_SYSTEMS,
                            help=f"number of information systems (default {generator.DEFAULT_SYSTEMS:,})")
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED,
                            help="random seed: the same seed always gives the same portfolio")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--reset", action="store_true",
                          help="delete all portfolio data and its audit rows first")
        mode.add_argument("--if-empty", action="store_true",
                          help="do nothing if any information system exists")
        mode.add_argument("--print-logins", action="store_true",
                          help="only make sure the demo users exist and print their logins (demo databases only)")
        parser.add_argument("--force", action="store_true",
                            help="with --print-logins: create the demo logins even if the demo generator did "
                                 "not fill this database")

    def handle(self, *args, systems, seed, reset, if_empty, print_logins, force, **options):
        try:
            if print_logins:
                # The demo logins are superusers and editors with a published password: never on real data.
                if not force and not generator.is_demo_database():
                    raise CommandError(
                        "このデータベースはデモデータではないため、デモ用ログインは作成しません"
                        "（デモデータは mieruka demo で生成します。それでも作成するには --force） / "
                        "This database was not filled by the demo generator, so the demo logins are not "
                        "created (generate a demo with `mieruka demo`; use --force to create them anyway)")
                self._print_logins(generator.demo_users_ensure())
                return
            if if_empty and not generator.portfolio_is_empty():
                self.stdout.write("ポートフォリオにデータがあるため、デモデータは生成しません / "
                                  "The portfolio already holds data: demo not generated")
                return
            self.stderr.write(f"デモデータを生成中 / Generating the demo portfolio: {systems:,} systems, seed {seed}")
            summary = generator.demo_portfolio_generate(
                systems=systems, seed=seed, reset=reset, progress=lambda line: self.stderr.write(f"  {line}")
            )
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self._print_summary(summary)

    def _print_summary(self, s: generator.DemoSummary) -> None:
        self.stdout.write(self.style.SUCCESS("デモデータを生成しました / Demo portfolio generated"))
        rows = [
            ("組織 / organizations", s.organizations),
            ("共通基盤 / shared platforms", s.platforms),
            ("情報システム / systems", s.systems),
            ("プロジェクト / projects", s.projects),
            ("連携 / interfaces", s.interfaces),
            ("予算 / budget lines", s.budget_lines),
            *s.extra.items(),
            ("変更履歴 / audit rows", s.audit_rows),
        ]
        for label, n in rows:
            self.stdout.write(f"  {label:30} {n:>10,}")
        if s.organizations_reused:
            self.stdout.write(f"  (既存の組織を再利用 / existing organizations reused: {s.organizations_reused:,})")
        self.stdout.write(f"  {'所要時間 / elapsed':30} {s.elapsed_seconds:>9.1f}s")

    def _print_logins(self, users) -> None:
        self.stdout.write("デモ用ログイン（デモ専用：本番環境では使用しないこと） / "
                          "Demo logins (demo only: never use them in production)")
        self.stdout.write(f"  {'username':12} {'password':14} role")
        for spec, has_demo_password in users:
            password = DEMO_PASSWORD if has_demo_password else "(変更済み / changed)"
            self.stdout.write(f"  {spec.username:12} {password:14} {spec.role_ja} / {spec.role_en}")
