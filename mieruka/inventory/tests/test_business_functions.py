from mieruka.core.models import ObjectChange
from mieruka.inventory import taxonomy
from mieruka.inventory.models import BusinessFunction, InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

from .test_system_forms import valid_data


class BusinessFunctionMasterTests(PortfolioTestCase):
    def test_the_master_list_is_loaded_in_the_taxonomy_order(self):
        self.assertEqual(
            list(BusinessFunction.objects.values_list("code", flat=True)), [f.code for f in taxonomy.FUNCTIONS]
        )
        self.assertEqual(str(BusinessFunction.objects.get(code="payroll")), "人事給与")


class SuggestionTests(PortfolioTestCase):
    def test_functions_are_suggested_from_japanese_and_english_text(self):
        self.assertEqual(taxonomy.suggest_functions(name="人事給与業務システム"), ["payroll"])
        self.assertEqual(taxonomy.suggest_functions(name="HR & Payroll"), ["payroll"])
        self.assertEqual(taxonomy.suggest_functions(name="相談受付システム", purpose="国民からの相談を受け付ける"),
                         ["inquiry"])
        self.assertEqual(taxonomy.suggest_functions(name="気象観測システム"), [])

    def test_a_side_mention_is_not_suggested(self):
        self.assertEqual(
            taxonomy.suggest_functions(name="補助金交付システム", purpose="補助金の交付申請を受け付ける"), ["grants"]
        )

    def test_a_latin_keyword_matches_whole_words_only(self):
        self.assertEqual(taxonomy.suggest_functions(name="ePC 管理"), [])
        self.assertEqual(taxonomy.suggest_functions(name="PC・LAN 管理"), ["network"])


class SystemFormTaggingTests(PortfolioTestCase):
    url = "/systems/new/"

    def test_suggesting_checks_the_functions_of_the_text_and_saves_nothing(self):
        self.login(self.admin)
        response = self.client.post(self.url, valid_data(
            organization=self.mhlw.pk, name_ja="職員研修管理システム", purpose="研修の受講を管理する", suggest_tags="1",
        ))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(InformationSystem.objects.filter(system_id="SYS-NEW").exists())
        training = BusinessFunction.objects.get(code="training")
        self.assertEqual(response.context["form"].initial["function_tags"], [training.pk])
        self.assertContains(response, f'value="{training.pk}" id="id_function_tags_')
        self.assertContains(response, "職員研修管理システム")
        self.assertContains(response, "業務機能分類の提案: 研修")

    def test_the_tags_a_person_saves_are_kept_and_audited(self):
        self.login(self.admin)
        payroll = BusinessFunction.objects.get(code="payroll")
        response = self.client.post(self.url, valid_data(organization=self.mhlw.pk, function_tags=[payroll.pk]))
        system = InformationSystem.objects.get(system_id="SYS-NEW")
        self.assertRedirects(response, "/systems/SYS-NEW/")
        self.assertEqual(list(system.function_tags.values_list("code", flat=True)), ["payroll"])
        change = ObjectChange.objects.get(changed_object_id=system.pk, action="create")
        self.assertEqual(change.postchange_data["function_tags"], [payroll.pk])

    def test_the_system_page_shows_its_tags_and_the_list_filters_by_them(self):
        system = factories.system(system_id="SYS-T", organization=self.mhlw)
        system.function_tags.set([BusinessFunction.objects.get(code="survey")])
        factories.system(system_id="SYS-U", organization=self.mhlw)
        self.login(self.viewer)
        self.assertContains(self.client.get("/systems/SYS-T/"), "統計調査・調査集計")
        listed = self.client.get("/systems/?function_tag=survey")
        self.assertContains(listed, "SYS-T")
        self.assertNotContains(listed, "SYS-U")
