"""`mieruka worker`: the background worker, django-tasks' database worker under a short name."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run background tasks (imports, exports, backups, the duplicate scan, reminders) as they are queued."
