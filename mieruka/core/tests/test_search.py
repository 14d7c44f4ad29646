"""One search box for the whole portfolio: IDs, names, readings (かな, romaji), organizations, projects
and reviews, grouped by type, and only what the person may see."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mieruka.core.readings import fold_romaji, query_reading, reading_of
from mieruka.reviews.models import Review
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase


def test_readings_come_in_kana_and_folded_romaji():
    reading = reading_of("国税電子申告システム")
    assert reading.kana.startswith("こくぜいでんし")
    assert reading.romaji.startswith("kokuzeidenshi")
    assert fold_romaji("Kōsei Rōdō-shō") == fold_romaji("kouseiroudoushou") == "koseirodosho"
    assert query_reading("コクゼイ").kana == "こくぜい"
    assert query_reading("S00648") is None  # an ID is matched as written, not as a reading


class SiteSearchTests(PortfolioTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pension = factories.system(system_id="S00648", name_ja="社会保険オンラインシステム", organization=cls.mhlw)
        cls.tax = factories.system(system_id="S00457", name_ja="国税総合管理システム", organization=cls.mhlw_bureau,
                                   internal_notes="極秘メモ")
        cls.registry = factories.system(system_id="S00900", name_ja="登記情報システム", organization=cls.moj,
                                        internal_notes="極秘メモ")
        cls.project = factories.project(project_id="P-77", name_ja="国税システム刷新", organization=cls.mhlw,
                                        systems=[cls.tax])
        cls.review = Review.objects.create(project=cls.project, fiscal_year=2026, stage="pre_request",
                                           phase="planning", summary="刷新の要求前レビュー")

    def search(self, q, user=None):
        self.login(user)
        return self.client.get("/search/", {"q": q})

    def groups(self, response) -> dict[str, list[str]]:
        return {g["key"]: [h.code for h in g["results"].hits] for g in response.context["groups"]}

    def test_it_finds_a_system_by_its_id(self):
        response = self.search("S00648")
        self.assertEqual(self.groups(response), {"systems": ["S00648"]})
        self.assertContains(response, '<a href="/systems/S00648/"><span class="search-results__code">S00648</span>')

    def test_it_finds_names_by_reading_in_kana_and_romaji(self):
        for q in ("こくぜい", "コクゼイ", "kokuzei", "KOKUZEI"):
            groups = self.groups(self.search(q))
            self.assertEqual(groups["systems"], ["S00457"], q)
            self.assertEqual(groups["projects"], ["P-77"], q)
            self.assertEqual(groups["reviews"], ["P-77"], q)

    def test_it_finds_organizations_by_name_and_reading(self):
        self.assertEqual(self.groups(self.search("法務"))["organizations"], ["MOJ"])
        self.assertIn("MHLW", self.groups(self.search("kouseiroudou"))["organizations"])

    def test_results_are_grouped_by_type_with_headings_and_counts(self):
        response = self.search("国税")
        self.assertEqual(list(self.groups(response)), ["systems", "projects", "reviews"])
        self.assertContains(response, '<h2 id="search-group-systems">情報システム <span class="badge badge--count">1</span></h2>')
        self.assertContains(response, 'role="search"')
        self.assertContains(response, '<label for="search-page-q">')

    def test_a_ministry_pjmo_does_not_find_another_ministrys_records(self):
        self.assertEqual(self.groups(self.search("登記", self.pjmo)), {})
        self.assertEqual(self.groups(self.search("S00900", self.pjmo)), {})
        self.assertNotIn("MOJ", self.groups(self.search("法務", self.pjmo)).get("organizations", []))
        # The other ministry's PJMO finds its own system, and its reviews only of its own projects.
        self.assertEqual(self.groups(self.search("登記", self.pjmo_other)), {"systems": ["S00900"]})
        self.assertEqual(self.groups(self.search("kokuzei", self.pjmo_other)), {})

    def test_restricted_fields_are_never_searched(self):
        self.assertEqual(self.groups(self.search("極秘メモ")), {})

    def test_the_header_of_every_page_has_the_labelled_search_box(self):
        self.login()
        for url in ("/", "/systems/", "/insights/"):
            response = self.client.get(url)
            self.assertContains(response, '<form class="site-search" role="search" method="get" action="/search/">')
            self.assertContains(response, '<label for="site-search-q" class="visually-hidden">')

    def test_the_page_runs_a_fixed_number_of_queries(self):
        self.login()
        self.client.get("/search/", {"q": "システム"})  # the readings are computed once, then cached
        with CaptureQueriesContext(connection) as small:
            self.client.get("/search/", {"q": "システム"})
        for n in range(8):
            factories.system(organization=self.mhlw, name_ja=f"追加システム{n}")
        self.client.get("/search/", {"q": "システム"})
        with CaptureQueriesContext(connection) as large:
            self.client.get("/search/", {"q": "システム"})
        self.assertEqual(len(small), len(large))
        self.assertLessEqual(len(large), 24)

    def test_an_empty_search_shows_the_form_only(self):
        response = self.search("")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["groups"], [])
