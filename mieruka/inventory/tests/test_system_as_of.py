import datetime

from django.utils import timezone

from mieruka.budgets.services import budget_line_set
from mieruka.core.models import ObjectChange
from mieruka.inventory import services
from mieruka.testing.base import PortfolioTestCase


def backdate(day: datetime.date) -> None:
    """Move every change recorded so far to noon of `day`, as if it had been made then."""
    ObjectChange.objects.update(time=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))))


class SystemAsOfTests(PortfolioTestCase):
    def setUp(self):
        self.gima = __import__("mieruka.testing.factories", fromlist=["platform"]).platform(code="GIMA")
        self.system = services.system_create(actor=self.actor(), data={
            "system_id": "SYS-1", "name_ja": "旧名称システム", "organization": self.mhlw, "classification": "ministry",
            "status": "development", "platforms": [self.gima],
        })
        budget_line_set(actor=self.actor(), system=self.system, fiscal_year=2024, category="operation",
                        stage="initial", amount_yen=50_000_000)
        backdate(datetime.date(2024, 6, 1))
        services.system_update(actor=self.actor(), system=self.system,
                               data={"name_ja": "新名称システム", "status": "operation", "organization": self.moj,
                                     "platforms": []}, reason="移管")
        budget_line_set(actor=self.actor(), system=self.system, fiscal_year=2024, category="operation",
                        stage="initial", amount_yen=80_000_000)
        self.url = "/systems/SYS-1/as-of/"

    def test_it_shows_the_fields_and_budget_as_they_stood_on_the_date(self):
        self.login()
        response = self.client.get(self.url, {"date": "2024-12-31"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "旧名称システム")
        self.assertContains(response, "開発中")
        self.assertContains(response, "厚生労働省")  # organization name, not its primary key
        self.assertContains(response, "GIMA")  # platform code, not its primary key
        self.assertContains(response, 'title="50,000,000円"')
        self.assertNotContains(response, 'title="80,000,000円"')

    def test_today_it_shows_the_current_values(self):
        self.login()
        response = self.client.get(self.url, {"date": timezone.localdate().isoformat()})
        self.assertContains(response, "新名称システム")
        self.assertContains(response, 'title="80,000,000円"')

    def test_before_the_system_existed_it_says_so(self):
        self.login()
        response = self.client.get(self.url, {"date": "2020-01-01"})
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(response.context["state"])
        self.assertContains(response, 'class="notice"')

    def test_a_bad_date_gets_a_bilingual_message_not_an_error_page(self):
        self.login()
        response = self.client.get(self.url, {"date": "2024-13-45"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "日付はYYYY-MM-DDの形式で入力してください",
                            status_code=400)

    def test_without_a_date_it_asks_for_one(self):
        self.login()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'type="date"')
