"""The system and project pages are composed of panels other apps register, and inventory imports none of them."""

import datetime
import re
from pathlib import Path

from django.test import override_settings
from django.urls import reverse

from mieruka.core.panels import PanelRegistry
from mieruka.inventory.panels import project_list_extras, project_panels, system_list_extras, system_panels
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

INVENTORY = Path(__file__).resolve().parents[1]
HIGHER_APPS = ("plans", "reporting", "reviews", "monitoring", "insights", "contracts", "interchange")


class PanelRegistrationTest(PortfolioTestCase):
    def setUp(self):
        self.system = factories.system(system_id="SYS-1", name_ja="年金記録管理システム", organization=self.mhlw)
        self.project = factories.project(project_id="P-1", name_ja="年金刷新", systems=[self.system],
                                         organization=self.mhlw)

    def test_the_apps_register_their_panels_on_the_system_and_project_pages(self):
        self.assertEqual(system_panels.names(), ["agencies.inventory", "insights.consolidation", "outcomes.services",
                                                 "plans.decision", "reporting.freshness", "security.summary"])
        self.assertEqual(project_panels.names(), ["outcomes.kpis", "plans.decision", "reporting.freshness"])
        self.assertEqual(sorted(system_list_extras._loaders), ["plans.decisions", "reporting.freshness"])
        self.assertEqual(sorted(project_list_extras._loaders), ["plans.decisions", "reporting.freshness"])

    def test_the_system_page_shows_what_they_register(self):
        from mieruka.plans import services as plan_services

        plan_services.decision_record(actor=self.actor(), kind="stop", rationale="統合する", decided_on=datetime.date(2026, 4, 1),
                                      decided_by="CIO", effective_year=2027, system=self.system)
        self.login(self.pjmo)
        page = self.client.get(self.system.get_absolute_url())
        html = page.content.decode()
        h1 = re.search(r"<h1>.*?</h1>", html, re.S).group(0)
        self.assertIn("停止決定", h1)  # plans' badge, in the title slot
        self.assertContains(page, 'class="freshness-line"')  # reporting's line, in the summary slot
        self.assertContains(page, "現在も正しいことを確認")  # the PJMO may confirm the record
        self.assertContains(page, 'id="consolidation-title"')  # insights' section, in the main slot

    def test_a_new_app_adds_a_panel_without_touching_inventory(self):
        seen = []

        def context(request, *, system):
            seen.append(system.pk)
            return {"note": f"{system.system_id} の追加情報"}

        system_panels.register(name="tests.extra", template="inventory/tests/extra_panel.html", context=context)
        self.addCleanup(system_panels.unregister, "tests.extra")
        self.login()
        with override_settings(TEMPLATES=_templates_with_extra()):
            page = self.client.get(self.system.get_absolute_url())
        self.assertContains(page, "SYS-1 の追加情報")
        self.assertEqual(seen, [self.system.pk])

    def test_a_panel_with_nothing_to_show_is_left_out(self):
        system_panels.register(name="tests.nothing", template="missing.html", context=lambda request, system: None)
        self.addCleanup(system_panels.unregister, "tests.nothing")
        self.login()
        self.assertEqual(self.client.get(self.system.get_absolute_url()).status_code, 200)

    def test_a_panel_must_name_a_slot_the_page_has(self):
        registry = PanelRegistry(slots=("title", "main"))
        with self.assertRaises(ValueError):
            registry.register(name="x", template="x.html", context=lambda request: {}, slot="sidebar")

    def test_the_system_page_makes_a_fixed_number_of_queries(self):
        for year in (2024, 2025, 2026):
            factories.budget_line(system=self.system, fiscal_year=year, amount_yen=1_000_000)
        self.login(self.pjmo)
        url = self.system.get_absolute_url()
        self.client.get(url)
        with self.assertNumQueries(QUERIES_SYSTEM_PAGE):
            self.client.get(url)

    def test_the_project_page_makes_a_fixed_number_of_queries(self):
        self.login(self.pjmo)
        url = reverse("inventory:project_detail", args=[self.project.project_id])
        self.client.get(url)
        with self.assertNumQueries(QUERIES_PROJECT_PAGE):
            self.client.get(url)


# Each includes outcomes' panel (the services a system serves, a project's indicators): its query and the
# reader's scope; the project page also asks whether a designation proposal is pending. The system page also
# carries security's summary (the reader's clearance, assessments, open findings and the checklist).
QUERIES_SYSTEM_PAGE = 27
QUERIES_PROJECT_PAGE = 16


def _templates_with_extra():
    """The project's template settings plus an in-memory template for the test panel."""
    from django.conf import settings

    templates = [dict(t) for t in settings.TEMPLATES]
    options = dict(templates[0].get("OPTIONS", {}))
    base_loaders = options.get("loaders") or [
        "django.template.loaders.filesystem.Loader", "django.template.loaders.app_directories.Loader"]
    options["loaders"] = [("django.template.loaders.locmem.Loader", {
        "inventory/tests/extra_panel.html": "<section><p>{{ panel.note }}</p></section>"}), *base_loaders]
    templates[0] = {**templates[0], "APP_DIRS": False, "OPTIONS": options}
    return templates


def test_inventory_imports_no_higher_app():
    """Dependencies point down: inventory's code names no app above it, not even inside a function."""
    pattern = re.compile(r"^\s*(from|import)\s+mieruka\.(" + "|".join(HIGHER_APPS) + r")\b", re.M)
    offenders = [str(p.relative_to(INVENTORY)) for p in INVENTORY.rglob("*.py")
                 if "tests" not in p.parts and "migrations" not in p.parts and pattern.search(p.read_text())]
    assert offenders == []
