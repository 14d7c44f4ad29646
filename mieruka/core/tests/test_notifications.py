from django.core import mail
from django.db import transaction

from mieruka.core.models import Notification
from mieruka.core.notifications import notification_send
from mieruka.testing.base import PortfolioTestCase


class NotificationTest(PortfolioTestCase):
    def test_a_notice_shows_in_the_header_count_and_on_the_page_until_read(self):
        notification_send(recipients=[self.pjmo], kind="report_due", message="状況報告の提出期限が近づいています",
                          url="/monitoring/")
        self.login(self.pjmo)
        assert self.client.get("/notifications/").context["unread_notifications"] == 1
        body = self.client.get("/notifications/").content.decode()
        assert "状況報告の提出期限が近づいています" in body
        self.client.post("/notifications/")
        assert self.client.get("/notifications/").context["unread_notifications"] == 0

    def test_nobody_sees_anyone_elses_notices(self):
        notification_send(recipients=[self.pjmo], kind="x", message="厚労省あて")
        self.login(self.pjmo_other)
        assert "厚労省あて" not in self.client.get("/notifications/").content.decode()

    def test_mail_goes_out_only_after_the_change_commits(self):
        with self.captureOnCommitCallbacks(execute=True):
            notification_send(recipients=[self.pjmo], kind="x", message="送信テスト", email=True)
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pjmo@mhlw.example.go.jp"]

    def test_a_rolled_back_change_sends_no_mail(self):
        try:
            with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
                notification_send(recipients=[self.pjmo], kind="x", message="取消", email=True)
                raise RuntimeError
        except RuntimeError:
            pass
        assert mail.outbox == [] and not Notification.objects.filter(message="取消").exists()
