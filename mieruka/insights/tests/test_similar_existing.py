"""Before a new system is born: the system form and the pre-budget-request review show similar systems."""

from django.core.cache import cache
from django.urls import reverse

from mieruka.insights import services
from mieruka.inventory.models import InformationSystem
from mieruka.reviews.models import Review
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from . import portfolio


class SimilarExistingSystemsTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        portfolio.build(cls)

    def setUp(self):
        cache.clear()

    def check(self, user=None, **fields):
        self.login(user or self.admin)
        data = {
            "system_id": "DA-099",
            "name_ja": "補助金の電子申請受付",
            "organization": self.digital_agency.pk,
            "purpose": "事業者からの補助金申請を電子的に受け付けて審査する",
            "check_draft": "1",
            **fields,
        }
        return self.client.post(reverse("inventory:system_create"), data)

    def test_the_form_shows_similar_systems_with_ministry_and_cost_and_saves_nothing(self):
        before = InformationSystem.objects.count()
        response = self.check()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(InformationSystem.objects.count(), before)
        self.assertContains(response, 'data-similar-system="MHLW-001"')
        self.assertContains(response, 'data-similar-system="MOJ-001"')
        self.assertContains(response, "厚生労働省")
        self.assertContains(response, "補助金")  # a reason, in whole words
        self.assertContains(response, 'value="補助金の電子申請受付"')  # what was typed is kept
        row = next(r for r in response.context["draft_panels"][0]["context"]["rows"]
                   if r["system"]["system_id"] == "MHLW-001")
        self.assertEqual(row["system"]["cost"], 300_000_000)
        self.assertNotContains(response, 'data-similar-system="DA-001"')  # payroll is not alike

    def test_the_verdicts_given_so_far_are_shown(self):
        services.cluster_decision_record(
            actor=self.actor(self.reviewer), systems=[self.subsidy_mhlw, self.subsidy_moj],
            verdict="consolidate", reason="同じ補助金申請業務",
        )
        response = self.check()
        self.assertContains(response, "同じ補助金申請業務")
        rows = response.context["draft_panels"][0]["context"]["rows"]
        verdicts = next(r["verdicts"] for r in rows if r["system"]["system_id"] == "MOJ-001")
        self.assertEqual([(v["kind"], v["code"], v["others"]) for v in verdicts],
                         [("cluster", "consolidate", ["MHLW-001", "MOJ-001"])])

    def test_an_empty_draft_asks_for_text_and_an_unrelated_one_finds_nothing(self):
        self.assertContains(self.check(name_ja="", purpose=""), "data-similar-existing=\"0\"")
        response = self.check(name_ja="気象レーダー観測データ配信", purpose="レーダー観測の結果を配信する")
        self.assertEqual(response.context["draft_panels"][0]["context"]["rows"], [])

    def test_a_ministry_editor_sees_only_the_systems_they_may_read(self):
        response = self.check(user=self.pjmo, organization=self.mhlw.pk, system_id="MHLW-099")
        self.assertContains(response, 'data-similar-system="MHLW-001"')
        self.assertNotContains(response, 'data-similar-system="MOJ-001"')

    def test_editing_a_system_leaves_itself_out(self):
        self.login(self.admin)
        response = self.client.post(
            reverse("inventory:system_edit", args=["MOJ-001"]),
            {"name_ja": self.subsidy_moj.name_ja, "purpose": self.subsidy_moj.purpose,
             "organization": self.moj.pk, "check_draft": "1"},
        )
        self.assertContains(response, 'data-similar-system="MHLW-001"')
        self.assertNotContains(response, 'data-similar-system="MOJ-001"')

    def test_a_pre_budget_request_review_shows_systems_like_the_projects(self):
        project = factories.project(project_id="P-SIMILAR-1", name_ja="補助金電子申請", systems=[self.subsidy_moj])
        review = Review.objects.create(project=project, fiscal_year=2026, stage="pre_request", phase="operation")
        self.login(self.reviewer)
        response = self.client.get(reverse("reviews:detail", args=[review.pk]))
        self.assertContains(response, 'data-similar-system="MHLW-001"')
        self.assertNotContains(response, 'data-similar-system="MOJ-001"')  # the project's own system
        later = Review.objects.create(project=project, fiscal_year=2026, stage="request", phase="operation")
        self.assertNotContains(self.client.get(reverse("reviews:detail", args=[later.pk])), "data-similar-existing")

    def test_the_scores_kept_between_checks_still_respect_who_may_read_what(self):
        # The same draft, checked first by the Digital Agency, then by a ministry editor.
        shown = self.check(organization=self.mhlw.pk, system_id="MHLW-099")
        self.assertContains(shown, 'data-similar-system="MOJ-001"')
        response = self.check(user=self.pjmo, organization=self.mhlw.pk, system_id="MHLW-099")
        self.assertContains(response, 'data-similar-system="MHLW-001"')
        self.assertNotContains(response, 'data-similar-system="MOJ-001"')

    def test_a_change_to_the_inventory_is_seen_by_the_next_check(self):
        self.assertContains(self.check(), 'data-similar-system="MOJ-001"')
        self.subsidy_moj.status = "retired"
        self.subsidy_moj.save()
        self.assertNotContains(self.check(), 'data-similar-system="MOJ-001"')
