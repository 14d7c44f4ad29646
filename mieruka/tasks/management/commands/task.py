"""`mieruka task list` / `mieruka task start KEY`: queue a registered task for the worker (e.g. from cron)."""

from django.core.management.base import BaseCommand, CommandError

from mieruka.core.errors import bilingual
from mieruka.tasks import registry


class Command(BaseCommand):
    help = "List the tasks an administrator may start, or queue one of them for `mieruka worker`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the tasks that can be started")
        start = sub.add_parser("start", help="queue a task")
        start.add_argument("key")

    def handle(self, *args, action, **options):
        if action == "list":
            for key, item in sorted(registry.ACTIONS.items()):
                self.stdout.write(f"{key:20} {item.title}")
            return
        item = registry.ACTIONS.get(options["key"])
        if item is None:
            raise CommandError(bilingual(
                f"タスク「{options['key']}」はありません（mieruka task list で一覧）",
                f"No task {options['key']!r} (see `mieruka task list`)",
            ))
        run = item.start(user=None)
        self.stdout.write(f"queued / 登録しました: {options['key']} (task #{run.pk}, /tasks/{run.pk}/)")
