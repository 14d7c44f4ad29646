"""Words that mean something else in another app read as the review's own word (指摘区分, not 経費区分)."""

from django.urls import reverse
from django.utils import translation

from mieruka.budgets.models import BudgetLine

from .helpers import OversightTestCase, make_finding, make_review


class FindingWordingTest(OversightTestCase):
    def test_the_finding_form_labels_its_category_as_the_finding_category(self):
        review = make_review(self.project, state="in_review", reviewer=self.reviewer)
        self.login(self.reviewer)
        page = self.client.get(review.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja")
        self.assertContains(page, '<label for="id_category">指摘区分</label>', html=True)
        self.assertNotContains(page, "経費区分")

    def test_the_finding_search_filters_by_finding_category_while_budgets_keep_their_category(self):
        make_finding(make_review(self.project, state="in_review", reviewer=self.reviewer), category="cost")
        self.login(self.reviewer)
        page = self.client.get(reverse("reviews:finding_search"), HTTP_ACCEPT_LANGUAGE="ja")
        self.assertContains(page, "指摘区分")
        self.assertNotContains(page, "経費区分")
        with translation.override("ja"):
            self.assertEqual(str(BudgetLine._meta.get_field("category").verbose_name), "経費区分")
