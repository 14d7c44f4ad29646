"""The demo reads true to someone who knows the portfolio: data flows along business lines, the shared
registries have users, 日本年金機構 is a 特殊法人, the open campaign asks every ministry, and every page says
which day the demo stands on."""

from collections import Counter

from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import translation

from mieruka.core.selectors import demo_reference_date_forget
from mieruka.demo import data, generator, planning, relations, systems
from mieruka.demo.generator import demo_portfolio_generate
from mieruka.organizations.models import Organization
from mieruka.reporting.models import Campaign
from mieruka.testing import factories

# Systems Mieruka's users would be surprised to see talk to each other.
PENSION = ("年金",)
QUARANTINE = ("検疫", "植物防疫", "動物検疫")
# The base registries (ベース・レジストリ): corporations, real estate and commercial registration, addresses.
BASE_REGISTRIES = ("base_registry", "corp_number", "touki")


def _about(plan: planning.SystemPlan, words: tuple[str, ...]) -> bool:
    return any(w in plan.name_ja or w in plan.domain for w in words)


class DemoInterfacePlanTest(SimpleTestCase):
    """The default portfolio's interfaces, checked on the plan (no database: fast)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        orgs = planning.plan_organizations()
        cls.systems = systems.SystemPlanner(seed=generator.DEFAULT_SEED, orgs=orgs).plan(1200)
        cls.interfaces = relations.plan_interfaces(cls.systems, generator.DEFAULT_SEED)

    def test_pension_systems_never_exchange_data_with_quarantine_systems(self):
        assert any(_about(s, PENSION) for s in self.systems) and any(_about(s, QUARANTINE) for s in self.systems)
        mixed = [(i.source.name_ja, i.target.name_ja) for i in self.interfaces
                 if {_about(i.source, PENSION), _about(i.target, PENSION)} == {True, False}
                 and (_about(i.source, QUARANTINE) or _about(i.target, QUARANTINE))]
        assert mixed == []

    def test_links_across_ministries_go_through_shared_systems_or_known_flows(self):
        # Between two ministries data flows through a government-wide system (the Digital Agency's
        # platforms, 官庁会計, e-Stat, the registries) or a named flow, never between two ordinary systems.
        across = [i for i in self.interfaces if i.source.top != i.target.top]
        assert across
        ordinary = [(i.source.name_ja, i.target.name_ja) for i in across
                    if not (i.source.key or i.target.key)]
        assert ordinary == []

    def test_other_links_stay_within_one_business_domain_or_one_organization(self):
        plain = [i for i in self.interfaces if not (i.source.key or i.target.key or i.source.local_key)]
        assert len(plain) > 100
        for i in plain:
            assert i.source.top == i.target.top, (i.source.name_ja, i.target.name_ja)
            assert (i.source.domain and i.source.domain == i.target.domain) or i.source.owner == i.target.owner, (
                i.source.name_ja, i.target.name_ja)

    def test_mynaportal_and_the_base_registries_have_dependents(self):
        dependents = Counter(i.target.key for i in self.interfaces if i.target.key)
        assert dependents["mynaportal"] >= 20
        for key in BASE_REGISTRIES:
            assert dependents[key] >= 5, key
        # Municipalities depend on them too: the address registry, 登記済通知 for the fixed asset tax.
        local = {(i.source.local_key, i.target.key) for i in self.interfaces if i.source.local_key}
        assert ("juminhyo", "mynaportal") in local and ("kotei", "touki") in local


class DemoOrganizationsAndCampaignTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo_portfolio_generate(systems=120, seed=5)

    def test_japan_pension_service_is_a_special_public_corporation(self):
        jps = Organization.objects.get(name_ja="日本年金機構")
        assert jps.kind == "special_corporation"
        assert jps.parent.code == "MHLW" and jps.systems.exists()
        with translation.override("ja"):
            assert jps.get_kind_display() == "特殊法人"
        # The 独法 stay 独法.
        assert Organization.objects.get(code="IA-IPA").kind == "independent_agency"

    def test_the_open_campaign_asks_every_ministry(self):
        # The reporting demo's campaign; the 独法 inventory (棚卸) is open too, asking the agencies.
        campaign = Campaign.objects.filter(status="open").exclude(title__contains="棚卸").get()
        ministries = set(Organization.objects.filter(kind="ministry", parent=None).values_list("code", flat=True))
        asked = set(campaign.organizations.values_list("code", flat=True))
        assert len(ministries) == sum(1 for _c, _j, _e, kind in data.MINISTRIES if kind == "ministry")
        assert ministries <= asked
        assert ministries <= set(campaign.returns.values_list("organization__code", flat=True))

    def test_every_page_says_which_day_the_demo_stands_on(self):
        demo_reference_date_forget()  # the test set-up assumes a database the demo did not fill
        pages = [self.client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ja")]
        self.client.force_login(get_user_model().objects.create_superuser("steward", "s@example.go.jp", "x"))
        pages += [self.client.get(url, HTTP_ACCEPT_LANGUAGE="ja")
                  for url in (reverse("home"), reverse("inventory:system_list"))]
        for page in pages:
            self.assertContains(page, "デモデータ基準日")
            self.assertContains(page, f'<time datetime="{planning.AS_OF:%Y-%m-%d}">2026年9月30日</time>', html=True)


class RealDatabaseFooterTest(TestCase):
    def test_a_database_the_demo_did_not_fill_shows_no_demo_date(self):
        demo_reference_date_forget()  # read the database, not what the test set-up assumes
        factories.system()
        self.client.force_login(get_user_model().objects.create_superuser("steward", "s@example.go.jp", "x"))
        self.assertNotContains(self.client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ja"), "デモデータ基準日")
