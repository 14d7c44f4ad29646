from mieruka.inventory import services
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


class SystemDetailTests(PortfolioTestCase):
    def setUp(self):
        self.gima = factories.platform(code="GIMA", name_ja="GIMA職員認証")
        self.system = factories.system(
            system_id="SYS-1", name_ja="年金記録管理システム", name_en="Pension records", organization=self.mhlw_bureau,
            classification="joint", status="operation", hosting="government_cloud", platforms=[self.gima],
            purpose="年金の記録を管理する", functions=["申請受付", "記録管理"], users=["citizens"],
            annual_users=1_234_567, important=True, internal_notes="更改を検討中",
        )
        self.url = "/systems/SYS-1/"

    def test_it_shows_every_field_with_labels(self):
        self.login()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        for text in ["年金記録管理システム", "Pension records", "健康・生活衛生局", "厚生労働省", "年金の記録を管理する",
                     "申請受付", "記録管理", "1,234,567", "更改を検討中", "GIMA職員認証", "?platform=GIMA",
                     "デジタル庁・府省共同プロジェクト", "ガバメントクラウド", "国民", "稼働中"]:
            self.assertContains(response, text)
        self.assertContains(response, "<h1>", count=1)
        self.assertContains(response, 'class="breadcrumbs"')

    def test_the_budget_table_shows_fiscal_years_stages_and_categories_in_million_yen(self):
        for stage, category, amount in [("request", "development", 30_000_000), ("initial", "operation", 123_456_789),
                                        ("initial", "development", 20_000_000), ("executed", "operation", 99_000_000)]:
            factories.budget_line(system=self.system, fiscal_year=2025, stage=stage, category=category, amount_yen=amount)
        factories.budget_line(system=self.system, fiscal_year=2024, stage="initial", amount_yen=1_000_000)
        self.login()
        response = self.client.get(self.url)
        self.assertContains(response, "2025年度（令和7年度）")
        self.assertContains(response, "2024年度（令和6年度）")
        self.assertContains(response, 'title="123,456,789円"')
        # The initial budget of FY2025 totals development and operation: 143,456,789 yen ≈ 143 million.
        self.assertContains(response, 'title="143,456,789円"')
        self.assertContains(response, "百万円")
        budget = response.context["budget"]
        self.assertEqual([s["value"] for s in budget["stages"]], ["request", "initial", "executed"])
        self.assertEqual(budget["rows"][0]["cells"], [30_000_000, None, 30_000_000, 20_000_000, 123_456_789,
                                                      143_456_789, None, 99_000_000, 99_000_000])

    def test_it_lists_the_projects_covering_it_and_its_interfaces_both_ways(self):
        factories.project(project_id="P-1", name_ja="年金刷新プロジェクト", systems=[self.system])
        other_out = factories.system(system_id="SYS-OUT", name_ja="連携先システム")
        other_in = factories.system(system_id="SYS-IN", name_ja="連携元システム")
        factories.interface(from_system=self.system, to_system=other_out, kind="api")
        factories.interface(from_system=other_in, to_system=self.system, kind="authentication")
        self.login()
        response = self.client.get(self.url)
        self.assertContains(response, "年金刷新プロジェクト")
        self.assertContains(response, 'href="/projects/P-1/"')
        self.assertContains(response, 'href="/systems/SYS-OUT/"')
        self.assertContains(response, 'href="/systems/SYS-IN/"')
        self.assertEqual([i.to_system.system_id for i in response.context["interfaces"]["out"]], ["SYS-OUT"])
        self.assertEqual([i.from_system.system_id for i in response.context["interfaces"]["in"]], ["SYS-IN"])

    def test_the_history_shows_field_level_changes_and_links_to_the_full_history(self):
        services.system_update(actor=self.actor(), system=self.system,
                               data={"status": "retiring", "name_ja": "年金記録管理システム（更改中）"},
                               reason="令和8年度に更改するため")
        self.login()
        response = self.client.get(self.url)
        self.assertContains(response, "令和8年度に更改するため")
        self.assertContains(response, "稼働中")
        self.assertContains(response, "廃止予定")
        self.assertContains(response, f'href="/history/inventory.informationsystem/{self.system.pk}/"')
        diffs = response.context["history"][0]["diffs"]
        self.assertIn(("状態", "稼働中", "廃止予定"), [(d.label, d.before, d.after) for d in diffs])

    def test_it_offers_a_date_picker_for_the_past_state(self):
        self.login()
        response = self.client.get(self.url)
        self.assertContains(response, 'action="/systems/SYS-1/as-of/"')
        self.assertContains(response, 'type="date"')

    def test_an_unknown_system_is_not_found(self):
        self.login()
        self.assertEqual(self.client.get("/systems/NOPE/").status_code, 404)

    def test_only_editors_see_the_edit_button(self):
        # Readers of everything (analyst, reviewer) and the ministry's viewer read the page without the button;
        # the owning ministry's editor (the system is in a bureau below it) and the administrator see it.
        for user, shown in ((self.viewer, False), (self.analyst, False), (self.reviewer, False),
                            (self.pjmo, True), (self.admin, True)):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "年金記録管理システム")
                if shown:
                    self.assertContains(response, "/systems/SYS-1/edit/")
                else:
                    self.assertNotContains(response, "/systems/SYS-1/edit/")
