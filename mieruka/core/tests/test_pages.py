import uuid

from mieruka.core.audit import audited_update
from mieruka.core.models import ObjectChange
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class LoginTest(PortfolioTestCase):
    def test_anonymous_visitors_are_sent_to_the_login_page(self):
        response = self.client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")

    def test_a_user_logs_in_and_sees_the_home_page(self):
        response = self.client.post("/login/", {"username": "analyst", "password": self.password}, follow=True)
        assert response.status_code == 200
        assert "ポートフォリオ" in response.content.decode()

    def test_a_wrong_password_is_refused_in_the_readers_language(self):
        response = self.client.post("/login/", {"username": "analyst", "password": "wrong"})
        body = response.content.decode()
        assert response.status_code == 200
        assert "パスワードが正しくありません" in body and "password is incorrect" not in body
        body = self.client.post("/login/", {"username": "analyst", "password": "wrong"},
                                headers={"accept-language": "en"}).content.decode()
        assert "The username or password is incorrect" in body and "パスワード" not in body


class HomeTest(PortfolioTestCase):
    def test_it_shows_counts_budget_and_cloud_share_for_this_fiscal_year(self):
        from django.utils import timezone

        from mieruka.core.formatting import fiscal_year_of

        fy = fiscal_year_of(timezone.localdate())
        cloud = factories.system(organization=self.mhlw, hosting="government_cloud")
        factories.system(organization=self.moj, hosting="on_premises")
        factories.budget_line(system=cloud, fiscal_year=fy, category="operation", amount_yen=1_234_000_000)
        factories.budget_line(system=cloud, fiscal_year=fy, category="development", amount_yen=500_000_000)
        self.login()
        response = self.client.get("/")
        body = response.content.decode()
        assert response.context["systems"] == 2
        assert response.context["cloud_share"] == 50.0
        assert "1,234" in body and 'title="1,234,000,000円"' in body
        assert f"{fy}年度（令和{fy - 2018}年度）" in body

    def test_the_page_switches_to_english(self):
        self.login()
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        body = self.client.get("/").content.decode()
        assert "Portfolio at a glance" in body and 'lang="en"' in body


class ChangeLogTest(PortfolioTestCase):
    def setUp(self):
        self.system = factories.system(organization=self.mhlw, status="operation")
        self.batch = self.actor(source="cli")
        audited_update(actor=self.batch, instance=self.system, data={"status": "retiring"}, reason="後継へ移行")
        audited_update(actor=self.actor(self.admin, source="web"), instance=self.system,
                       data={"name_ja": "改称後システム"})
        self.login()

    def test_it_lists_changes_newest_first_with_actor_and_reason(self):
        body = self.client.get("/changes/").content.decode()
        assert body.index("改称後システム") < body.index("後継へ移行")
        assert "admin" in body

    def test_it_filters_by_batch_and_source(self):
        response = self.client.get("/changes/", {"request_id": str(self.batch.request_id)})
        assert [c.reason for c, _ in response.context["rows"]] == ["後継へ移行"]
        response = self.client.get("/changes/", {"source": "web"})
        assert len(response.context["rows"]) == 1

    def test_a_malformed_batch_id_is_explained_not_crashed(self):
        response = self.client.get("/changes/", {"request_id": "not-a-uuid"})
        body = response.content.decode()
        assert response.status_code == 200 and "not a valid UUID" in body and "形式" in body

    def test_a_change_shows_field_level_before_and_after(self):
        change = ObjectChange.objects.get(reason="後継へ移行")
        from mieruka.inventory.choices import SystemStatus

        body = self.client.get(f"/changes/{change.pk}/").content.decode()
        # Shown as the status labels a person reads, not the stored codes.
        assert str(SystemStatus.OPERATION.label) in body and str(SystemStatus.RETIRING.label) in body
        assert str(change.request_id) in body

    def test_the_history_of_a_record_includes_its_budget_lines(self):
        from mieruka.budgets.models import BudgetLine
        from mieruka.core.audit import audited_create

        audited_create(actor=self.actor(), model=BudgetLine, data={
            "system": self.system, "fiscal_year": 2025, "category": "operation", "stage": "initial",
            "amount_yen": 3_000_000})
        response = self.client.get(f"/history/inventory.informationsystem/{self.system.pk}/")
        body = response.content.decode()
        assert response.status_code == 200
        assert "3,000,000円" in body and "後継へ移行" in body

    def test_linked_records_and_coded_lists_read_as_names_in_every_history_view(self):
        from mieruka.inventory.models import SharedPlatform

        gima = SharedPlatform.objects.create(code="GIMA", name_ja="ガバメントソリューションサービス基盤")
        audited_update(actor=self.actor(), instance=self.system,
                       data={"organization": self.moj, "users": ["citizens", "staff"], "platforms": [gima]})
        change = ObjectChange.objects.filter(changed_object_id=self.system.pk).order_by("-id").first()
        pages = {
            f"/changes/{change.pk}/": lambda r: r.context["fields"],
            f"/history/inventory.informationsystem/{self.system.pk}/": lambda r: r.context["rows"][0][1],
            f"/systems/{self.system.system_id}/": lambda r: r.context["history"][0]["diffs"],
        }
        for url, diff_of in pages.items():
            shown = {f.label: f.after for f in diff_of(self.client.get(url))}
            # The organization by name, the platform by code, user groups by label — never keys or codes.
            assert shown["組織"] == self.moj.name_ja, url
            assert shown["利用共通基盤"] == "GIMA", url
            assert shown["ユーザー"] == "国民, 職員", url


    def test_the_change_log_costs_the_same_queries_however_many_linked_records_it_names(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get("/changes/")
        for org in (self.moj, self.mhlw, self.moj, self.mhlw):
            audited_update(actor=self.actor(), instance=self.system, data={"organization": org})
        with CaptureQueriesContext(connection) as many:
            self.client.get("/changes/")
        assert len(many) <= len(few) + 1  # one query loads the organizations' names


    def test_an_unknown_record_type_is_not_found(self):
        assert self.client.get("/history/nope.nothing/1/").status_code == 404
        assert self.client.get(f"/history/inventory.informationsystem/{uuid.uuid4().int % 10**9}/").status_code == 404


class ErrorPageTest(PortfolioTestCase):
    def test_a_refused_page_explains_itself_in_the_site_layout(self):
        self.login(self.reviewer)
        response = self.client.get("/interchange/import/")
        body = response.content.decode()
        assert response.status_code == 403
        assert "この操作を行う権限がありません" in body and 'class="site-header' in body

    def test_the_refusal_names_the_reason_it_was_given(self):
        self.login(self.pjmo)
        response = self.client.get("/reporting/campaigns/new/")
        assert response.status_code == 403
        assert "デジタル庁の管理者のみが行えます" in response.content.decode()

    def test_a_missing_page_says_so_in_japanese_and_english(self):
        self.login()
        response = self.client.get("/systems/NO-SUCH-SYSTEM/")
        assert response.status_code == 404
        assert "ページが見つかりません" in response.content.decode()
        response = self.client.get("/systems/NO-SUCH-SYSTEM/", HTTP_ACCEPT_LANGUAGE="en")
        assert "The page was not found" in response.content.decode()

    def test_the_server_error_page_renders_without_a_request(self):
        from django.template import loader

        body = loader.get_template("500.html").render()
        assert "エラーが発生しました" in body and "Something went wrong" in body
