from io import StringIO

from django.core.management import call_command

from mieruka.core.models import Notification

from .helpers import TODAY, OversightTestCase, make_finding, make_review


class OversightNotifyTest(OversightTestCase):
    def test_it_notifies_overdue_reports_findings_and_waiting_reviews_once(self):
        make_review(self.project, state="submitted")
        make_finding(make_review(self.project, stage="request", state="in_review"), owner=self.pjmo,
                     due_on=TODAY.replace(day=1))
        for _ in range(2):
            call_command("oversight_notify", f"--today={TODAY.isoformat()}", stdout=StringIO())
        kinds = sorted(Notification.objects.values_list("recipient__username", "kind"))
        self.assertIn(("pjmo_mhlw", "report_overdue"), kinds)
        self.assertIn(("pjmo_mhlw", "finding_overdue"), kinds)
        self.assertIn(("reviewer", "review_waiting"), kinds)
        self.assertEqual(kinds.count(("pjmo_mhlw", "finding_overdue")), 1)
