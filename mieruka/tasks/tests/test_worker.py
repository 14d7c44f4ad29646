"""With the database queue, a web request only queues the work; the real worker runs it and the task page
then offers the result."""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem
from mieruka.tasks.models import TaskRun
from mieruka.testing import factories
from mieruka.testing.worker import DATABASE_BACKEND, run_worker_until_idle

CSV = ("system_id,name_ja,organization_code,classification,status\n"
       "WRK-1,ワーカー取込システム,MHLW,ministry,operation\n").encode()


@override_settings(TASKS=DATABASE_BACKEND)
class RealWorkerTest(TransactionTestCase):
    def setUp(self):
        factories.organization(code="MHLW", name_ja="厚生労働省", order=20)
        self.admin = get_user_model().objects.create_superuser("admin", "admin@example.go.jp", "x")
        self.client.force_login(self.admin)

    def test_an_uploaded_file_is_checked_and_imported_by_the_worker(self):
        response = self.client.post(reverse("interchange:import"), {"file": SimpleUploadedFile("systems.csv", CSV)})
        run = TaskRun.objects.get()
        self.assertRedirects(response, reverse("tasks:detail", args=[run.pk]))
        # Nothing has run yet: the page says it waits, and its status is what the page's script polls.
        assert run.status == "queued" and DBTaskResult.objects.get().status == "READY"
        self.assertContains(self.client.get(response["Location"]), reverse("tasks:status", args=[run.pk]))
        assert self.client.get(reverse("tasks:status", args=[run.pk])).json()["finished"] is False

        run_worker_until_idle()

        run.refresh_from_db()
        assert run.status == "succeeded" and DBTaskResult.objects.get().status == "SUCCESSFUL"
        status = self.client.get(reverse("tasks:status", args=[run.pk])).json()
        assert status["finished"] is True and status["percent"] == 100
        preview = self.client.get(run.result_url)
        self.assertContains(preview, "WRK-1")
        assert not InformationSystem.objects.filter(system_id="WRK-1").exists()

        token = run.subject
        response = self.client.post(reverse("interchange:import_confirm", args=[token]))
        apply = TaskRun.objects.get(kind="import_apply")
        assert apply.status == "queued" and not InformationSystem.objects.filter(system_id="WRK-1").exists()

        run_worker_until_idle()

        apply.refresh_from_db()
        assert apply.status == "succeeded", (apply.error_en, apply.summary)
        system = InformationSystem.objects.get(system_id="WRK-1")
        change = ObjectChange.objects.get(changed_object_id=system.pk, source="import")
        assert (change.user, change.user_name) == (self.admin, "admin")
        self.assertContains(self.client.get(reverse("tasks:detail", args=[apply.pk])), apply.result_url)

    def test_a_task_queued_from_the_command_line_is_run_by_mieruka_worker(self):
        import io
        import signal

        from django.core.management import call_command

        call_command("task", "start", "backup", stdout=io.StringIO())
        run = TaskRun.objects.get(kind="backup")
        assert run.status == "queued"
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        try:
            # The command itself, in this process: --batch runs what is queued, then returns.
            call_command("worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        run.refresh_from_db()
        assert run.status == "succeeded" and run.file_name.endswith(".json.gz")
        response = self.client.get(reverse("tasks:download", args=[run.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"\x1f\x8b"  # gzip
