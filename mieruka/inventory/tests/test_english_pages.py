"""English pages speak English: records show their English names where they have one, and the page's own
words and punctuation are English (no 「」、。（）)."""

import re

from django.urls import reverse

from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

JAPANESE_PUNCTUATION = re.compile("[「」、。（）]")
ENGLISH = {"accept-language": "en"}


def visible_text(html: str) -> str:
    """The page's text without scripts, styles, tags and attribute values (what a reader sees)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


class EnglishPagesTest(PortfolioTestCase):
    def setUp(self):
        self.bureau = factories.organization(code="MHLW-PENS", name_ja="年金局", name_en="Pension Bureau",
                                             kind="bureau", parent=self.mhlw, order=None)
        self.system = factories.system(system_id="S-PEN", organization=self.bureau, name_ja="年金記録システム",
                                       name_en="Pension records system", purpose="Keeps pension records",
                                       functions=["records", "payments"], users=["citizens", "staff"])
        other = factories.system(system_id="S-OTH", organization=self.mhlw, name_ja="資格確認システム",
                                 name_en="Eligibility system", purpose="Checks eligibility")
        factories.interface(from_system=self.system, to_system=other, kind="api", description="Eligibility check")
        factories.budget_line(system=self.system, fiscal_year=2026)
        factories.project(systems=[self.system], name_ja="Pension records renewal")
        self.login(self.analyst)

    def pages(self):
        return [reverse("home"), reverse("inventory:system_list"), self.system.get_absolute_url(),
                reverse("organizations:list"), self.bureau.get_absolute_url(), self.mhlw.get_absolute_url(),
                reverse("inventory:project_list")]

    def test_records_show_their_english_names_on_english_pages(self):
        page = self.client.get(self.system.get_absolute_url(), headers=ENGLISH)
        self.assertContains(page, "<h1>Pension records system", html=False)
        self.assertContains(page, "Pension Bureau")
        self.assertContains(page, "Eligibility system")
        self.assertContains(page, "records, payments")
        self.assertNotContains(page, "年金局")
        listing = self.client.get(reverse("organizations:list"), headers=ENGLISH)
        self.assertContains(listing, "Pension Bureau")
        self.assertNotContains(listing, "年金局")
        # The organization filter of the systems list names them in English too.
        systems = self.client.get(reverse("inventory:system_list"), headers=ENGLISH)
        self.assertContains(systems, "Ministry of Health, Labour and Welfare</option>")
        self.assertNotContains(systems, "年金局")
        self.assertNotContains(systems, "厚生労働省")

    def test_japanese_pages_keep_the_japanese_names_and_punctuation(self):
        page = self.client.get(self.system.get_absolute_url(), headers={"accept-language": "ja"})
        self.assertContains(page, "年金記録システム")
        self.assertContains(page, "年金局")
        self.assertContains(page, "records、payments")

    def test_english_pages_have_no_japanese_punctuation(self):
        for url in self.pages():
            response = self.client.get(url, headers=ENGLISH)
            self.assertEqual(response.status_code, 200, url)
            found = sorted(set(JAPANESE_PUNCTUATION.findall(visible_text(response.content.decode()))))
            self.assertEqual(found, [], url)
