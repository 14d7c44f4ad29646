import re

from django.test import override_settings

from mieruka.core.models import ObjectChange
from mieruka.inventory.models import Project
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .helpers import THIS_FY, query_count


def ids(response) -> list[str]:
    seen = []
    for m in re.finditer(r">(PRJ-[0-9A-Z-]+)</a>", response.content.decode()):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


class ProjectListTests(PortfolioTestCase):
    url = "/projects/"

    def get(self, **params):
        self.login()
        return self.client.get(self.url, params)

    def test_it_lists_projects_with_pjmo_staff_and_the_operating_budget_of_their_systems(self):
        a = factories.system(system_id="SYS-A", organization=self.mhlw)
        b = factories.system(system_id="SYS-B", organization=self.mhlw)
        factories.budget_line(system=a, fiscal_year=THIS_FY, category="operation", amount_yen=100_000_000)
        factories.budget_line(system=b, fiscal_year=THIS_FY, category="operation", amount_yen=23_000_000)
        factories.budget_line(system=b, fiscal_year=THIS_FY, category="development", amount_yen=999_000_000)
        factories.budget_line(system=b, fiscal_year=THIS_FY - 1, category="operation", amount_yen=999_000_000)
        factories.project(project_id="PRJ-1", name_ja="年金刷新", systems=[a, b], pjmo_staff="2.50", pjmo_external="1.00")
        response = self.get()
        self.assertEqual(response.status_code, 200)
        for text in ["年金刷新", "厚生労働省", "SYS-A", "SYS-B", "2.50", "1.00", 'title="123,000,000円"', "百万円", "<caption>"]:
            self.assertContains(response, text)

    def test_it_filters_by_organization_subtree_phase_important_and_keyword(self):
        factories.project(project_id="PRJ-A", name_ja="年金記録刷新", organization=self.mhlw_bureau, phase="planning",
                          important=True)
        factories.project(project_id="PRJ-B", name_ja="登記刷新", organization=self.moj, phase="development",
                          purpose="登記の記録を扱う")
        factories.project(project_id="PRJ-C", name_ja="年金給付", organization=self.mhlw, phase="operation")
        self.assertEqual(ids(self.get(organization="MHLW")), ["PRJ-A", "PRJ-C"])
        self.assertEqual(ids(self.get(phase="development")), ["PRJ-B"])
        self.assertEqual(ids(self.get(important="yes")), ["PRJ-A"])
        self.assertEqual(ids(self.get(q="記録")), ["PRJ-A", "PRJ-B"])
        self.assertEqual(ids(self.get(q="年金　記録")), ["PRJ-A"])

    def test_it_sorts_by_the_column_headers(self):
        factories.project(project_id="PRJ-A", name_ja="うさぎ")
        factories.project(project_id="PRJ-B", name_ja="あひる")
        self.assertEqual(ids(self.get(sort="name")), ["PRJ-B", "PRJ-A"])
        response = self.get(sort="-project_id")
        self.assertEqual(ids(response), ["PRJ-B", "PRJ-A"])
        self.assertContains(response, 'aria-sort="descending"', count=1)

    def test_it_pages_fifty_at_a_time(self):
        for n in range(51):
            factories.project(project_id=f"PRJ-{n:03d}")
        self.assertEqual(len(ids(self.get())), 50)
        self.assertEqual(ids(self.get(page="2")), ["PRJ-050"])

    @override_settings(MIERUKA_LIST_CACHE_SECONDS=0)  # building the rows, not reading them from the cache
    def test_the_number_of_queries_does_not_grow_with_the_number_of_projects(self):
        self.login()

        def add(count):
            for _ in range(count):
                s = factories.system(organization=self.mhlw)
                factories.budget_line(system=s, fiscal_year=THIS_FY)
                factories.project(systems=[s, factories.system(organization=self.moj)])

        add(5)
        query_count(self.client, self.url + "?sort=-budget")  # warm per-process caches (content types)
        small = query_count(self.client, self.url + "?sort=-budget")
        add(20)
        self.assertEqual(query_count(self.client, self.url + "?sort=-budget"), small)


class ProjectDetailTests(PortfolioTestCase):
    def test_it_shows_fields_kpi_systems_with_budgets_and_history_link(self):
        s = factories.system(system_id="SYS-A", name_ja="年金システム", organization=self.mhlw)
        factories.budget_line(system=s, fiscal_year=THIS_FY, category="operation", amount_yen=40_000_000)
        factories.budget_line(system=s, fiscal_year=THIS_FY, category="development", amount_yen=7_000_000)
        p = factories.project(project_id="PRJ-1", name_ja="年金刷新", systems=[s], phase="development",
                              pjmo_staff="3", pjmo_external="2", kpi_name="オンライン利用率", kpi_target="80%",
                              kpi_actual="35%", purpose="年金の手続をオンライン化する")
        self.login()
        response = self.client.get("/projects/PRJ-1/")
        self.assertEqual(response.status_code, 200)
        for text in ["年金刷新", "年金の手続をオンライン化する", "オンライン利用率", "80%", "35%", "年金システム",
                     'href="/systems/SYS-A/"', 'title="40,000,000円"', 'title="7,000,000円"', "設計・開発",
                     f'href="/history/inventory.project/{p.pk}/"']:
            self.assertContains(response, text)
        self.assertContains(response, "<h1>", count=1)

    def test_an_unknown_project_is_not_found(self):
        self.login()
        self.assertEqual(self.client.get("/projects/NOPE/").status_code, 404)


class ProjectFormTests(PortfolioTestCase):
    def data(self, **overrides):
        data = {"project_id": "PRJ-NEW", "name_ja": "新規プロジェクト", "organization": self.mhlw.pk,
                "system_ids": "", "phase": "planning", "purpose": "", "starts_on": "2025-04-01", "ends_on": "",
                "pjmo_staff": "1.5", "pjmo_external": "", "kpi_name": "", "kpi_target": "", "kpi_actual": "",
                "reason": ""}
        data.update(overrides)
        return data

    def test_staff_register_a_project_covering_systems_by_id(self):
        a, b = factories.system(system_id="SYS-A"), factories.system(system_id="SYS-B")
        self.login(self.admin)
        response = self.client.post("/projects/new/", self.data(system_ids="SYS-A\nSYS-B"))
        self.assertRedirects(response, "/projects/PRJ-NEW/")
        project = Project.objects.get(project_id="PRJ-NEW")
        self.assertEqual(set(project.systems.all()), {a, b})
        change = ObjectChange.objects.get(changed_object_type__model="project", action="create")
        self.assertEqual((change.user, sorted(change.postchange_data["systems"])), (self.admin, sorted([a.pk, b.pk])))

    def test_the_reporting_frequency_is_set_on_the_form_and_kept_when_a_post_leaves_it_out(self):
        self.login(self.admin)
        response = self.client.post("/projects/new/", self.data(reporting_frequency="annual"))
        self.assertRedirects(response, "/projects/PRJ-NEW/")
        project = Project.objects.get(project_id="PRJ-NEW")
        self.assertEqual(project.reporting_frequency, "annual")
        response = self.client.post("/projects/new/", self.data(project_id="PRJ-NEW2", reporting_frequency="weekly"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Project.objects.filter(project_id="PRJ-NEW2").exists())
        self.client.post("/projects/new/", self.data(project_id="PRJ-NEW3"))
        self.assertEqual(Project.objects.get(project_id="PRJ-NEW3").reporting_frequency, "quarterly")

    def test_unknown_system_ids_and_negative_staff_are_refused_in_the_readers_language(self):
        self.login(self.admin)
        response = self.client.post("/projects/new/", self.data(system_ids="SYS-NOPE", pjmo_staff="-1"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "登録されていない情報システムIDです: SYS-NOPE")
        self.assertContains(response, "0以上を入力してください")
        response = self.client.post("/projects/new/", self.data(system_ids="SYS-NOPE", pjmo_staff="-1"),
                                    headers={"accept-language": "en"})
        self.assertContains(response, "Unknown system IDs: SYS-NOPE")
        self.assertContains(response, "Enter 0 or more")
        self.assertNotContains(response, "登録されていない")
        self.assertFalse(Project.objects.exists())

    def test_an_end_before_the_start_is_refused(self):
        self.login(self.admin)
        response = self.client.post("/projects/new/", self.data(starts_on="2025-04-01", ends_on="2025-03-31"))
        self.assertContains(response, "終了日は開始日より後にしてください")
        self.assertFalse(Project.objects.exists())

    def test_editing_needs_a_reason_and_is_audited_with_it(self):
        p = factories.project(project_id="PRJ-1", name_ja="旧", phase="planning")
        self.login(self.admin)
        response = self.client.post("/projects/PRJ-1/edit/", self.data(project_id="PRJ-1", name_ja="新"))
        self.assertContains(response, "この項目は必須です")
        p.refresh_from_db()
        self.assertEqual(p.name_ja, "旧")
        response = self.client.post("/projects/PRJ-1/edit/", self.data(project_id="PRJ-1", name_ja="新", reason="改称"))
        self.assertRedirects(response, "/projects/PRJ-1/")
        change = ObjectChange.objects.get(changed_object_type__model="project", action="update")
        self.assertEqual((change.prechange_data["name_ja"], change.postchange_data["name_ja"], change.reason),
                         ("旧", "新", "改称"))

    def test_viewers_may_not_edit_projects(self):
        factories.project(project_id="PRJ-1", name_ja="年金刷新", organization=self.mhlw)
        self.login(self.viewer)
        self.assertEqual(self.client.get("/projects/PRJ-1/edit/").status_code, 403)
        self.assertEqual(self.client.get("/projects/new/").status_code, 403)
        form = ProjectFormTests.data(self, project_id="PRJ-1", name_ja="閲覧者が変更", reason="権限テスト")
        self.assertEqual(self.client.post("/projects/PRJ-1/edit/", form).status_code, 403)
        self.assertEqual(self.client.post("/projects/new/", {**form, "project_id": "PRJ-NEW"}).status_code, 403)
        self.assertEqual(list(Project.objects.values_list("project_id", "name_ja")), [("PRJ-1", "年金刷新")])
        self.assertFalse(ObjectChange.objects.filter(changed_object_type__model="project").exists())
