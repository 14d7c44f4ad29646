"""Background tasks as people meet them: who sees which task, what an administrator may start, and what a
finished or failed task offers. Tasks run at once here (immediate backend); test_worker.py runs the worker."""

import gzip
import io
import json

from django.core.management import call_command
from django.urls import reverse

from mieruka.core.models import Notification
from mieruka.interchange.models import ImportUpload
from mieruka.interchange.tasks import import_check_start
from mieruka.tasks.models import TaskRun
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class TaskPagesTest(PortfolioTestCase):
    def start(self, key):
        response = self.client.post(reverse("tasks:start", args=[key]))
        run = TaskRun.objects.get(kind=key)
        self.assertRedirects(response, reverse("tasks:detail", args=[run.pk]))
        return run

    def download(self, run) -> bytes:
        response = self.client.get(reverse("tasks:download", args=[run.pk]))
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    def test_only_administrators_may_start_tasks_by_hand(self):
        self.login(self.analyst)
        page = self.client.get(reverse("tasks:list"))
        self.assertNotContains(page, reverse("tasks:start", args=["backup"]))
        assert self.client.post(reverse("tasks:start", args=["backup"])).status_code == 403
        assert not TaskRun.objects.exists()
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("tasks:list")), reverse("tasks:start", args=["backup"]))

    def test_an_administrator_backs_up_the_database_and_downloads_the_file(self):
        factories.system(system_id="BAK-1", organization=self.mhlw)
        self.login(self.admin)
        run = self.start("backup")
        page = self.client.get(reverse("tasks:detail", args=[run.pk]))
        self.assertContains(page, reverse("tasks:download", args=[run.pk]))
        self.assertContains(page, "完了")  # "Finished"
        lines = gzip.decompress(self.download(run)).decode().splitlines()
        assert json.loads(lines[0])["format"] == "mieruka-backup/2"
        assert any("BAK-1" in line for line in lines[1:])

    def test_the_duplicate_scan_offers_its_pairs_as_a_file(self):
        for ministry in (self.mhlw, self.moj):
            factories.system(organization=ministry, name_ja="電子申請受付システム", purpose="オンライン申請の受付",
                             functions=["申請受付"])
        self.login(self.admin)
        run = self.start("similar_scan")
        pairs = json.loads(self.download(run))
        assert len(pairs) == 1 and pairs[0]["score"] > 0.5
        self.assertContains(self.client.get(reverse("tasks:detail", args=[run.pk])), reverse("insights:similar"))

    def test_reminders_and_notices_run_as_tasks(self):
        self.login(self.admin)
        remind = self.start("reporting_remind")
        notify = self.start("oversight_notify")
        assert (remind.status, notify.status) == ("succeeded", "succeeded")
        self.assertContains(self.client.get(reverse("tasks:detail", args=[notify.pk])), "Notifications created")

    def test_people_see_only_their_own_tasks_and_administrators_see_all(self):
        self.login(self.viewer)
        self.client.post(reverse("inventory:system_export_start"), {"query": "", "format": "csv"})
        mine = TaskRun.objects.get()
        self.login(self.analyst)
        self.assertNotContains(self.client.get(reverse("tasks:list")), reverse("tasks:detail", args=[mine.pk]))
        assert self.client.get(reverse("tasks:detail", args=[mine.pk])).status_code == 404
        self.login(self.viewer)
        self.assertContains(self.client.get(reverse("tasks:list")), reverse("tasks:detail", args=[mine.pk]))
        self.login(self.admin)
        self.assertContains(self.client.get(reverse("tasks:list")), reverse("tasks:detail", args=[mine.pk]))

    def test_anonymous_visitors_are_sent_to_login(self):
        response = self.client.get(reverse("tasks:list"))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_a_task_that_cannot_do_its_work_says_why_in_the_readers_language(self):
        upload = ImportUpload.objects.create(user=self.admin, filename="systems.csv", content=b"x")
        token = upload.token
        upload.delete()  # cancelled in another tab before the check ran
        upload.token = token
        run = import_check_start(upload=upload, actor=self.actor(self.admin))
        assert run.status == "failed"
        self.login(self.admin)
        page = self.client.get(reverse("tasks:detail", args=[run.pk]))
        self.assertContains(page, "アップロードされたファイルが見つかりません")
        self.assertNotContains(page, "The uploaded file is gone")
        page = self.client.get(reverse("tasks:detail", args=[run.pk]), headers={"accept-language": "en"})
        self.assertContains(page, "The uploaded file is gone")
        self.assertNotContains(page, "アップロードされたファイルが見つかりません")
        status = self.client.get(reverse("tasks:status", args=[run.pk])).json()
        assert status["finished"] is True and status["status"] == "failed"

    def test_an_operator_queues_a_task_from_the_command_line(self):
        out = io.StringIO()
        call_command("task", "list", stdout=out)
        assert "backup" in out.getvalue() and "similar_scan" in out.getvalue()
        call_command("task", "start", "reporting_remind", stdout=out)
        run = TaskRun.objects.get(kind="reporting_remind")
        assert run.user is None and run.status == "succeeded"
        assert f"/tasks/{run.pk}/" in out.getvalue()
        assert Notification.objects.count() == 0  # no open campaign: nobody to remind

    def test_a_result_file_deleted_after_its_retention_time_is_not_found_rather_than_an_error(self):
        self.login(self.admin)
        run = self.start("backup")
        run.file.storage.delete(run.file.name)
        assert self.client.get(reverse("tasks:download", args=[run.pk])).status_code == 404
