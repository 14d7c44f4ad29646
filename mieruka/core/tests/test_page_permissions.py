"""The permission matrix over pages: every role × own/other organization × read/create/update/delete.

"Own" is the Ministry of Health (厚生労働省), whose PJMO editor and viewer are named users of the base case;
"other" is the Ministry of Justice (法務省). A record a person may not read does not exist for them (404).
"""

from django.utils import timezone

from mieruka.core.formatting import fiscal_year_of
from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories
from mieruka.testing.base import PortfolioTestCase

# role → {(organization, operation): allowed}
MATRIX = {
    "admin": {("own", "read"): True, ("other", "read"): True, ("own", "write"): True, ("other", "write"): True},
    "analyst": {("own", "read"): True, ("other", "read"): True, ("own", "write"): False, ("other", "write"): False},
    "reviewer": {("own", "read"): True, ("other", "read"): True, ("own", "write"): False, ("other", "write"): False},
    "pjmo": {("own", "read"): True, ("other", "read"): False, ("own", "write"): True, ("other", "write"): False},
    "viewer": {("own", "read"): True, ("other", "read"): False, ("own", "write"): False, ("other", "write"): False},
}


class PagePermissionMatrixTest(PortfolioTestCase):
    def setUp(self):
        self.systems = {
            "own": factories.system(organization=self.mhlw_bureau, system_id="OWN-1", name_ja="自省システム",
                                    internal_notes="脆弱性対応中"),
            "other": factories.system(organization=self.moj, system_id="OTHER-1", name_ja="他省システム",
                                      internal_notes="脆弱性対応中"),
        }
        self.projects = {
            "own": factories.project(project_id="OWN-P", organization=self.mhlw, systems=[self.systems["own"]]),
            "other": factories.project(project_id="OTHER-P", organization=self.moj, systems=[self.systems["other"]]),
        }

    def user(self, role):
        return {"admin": self.admin, "analyst": self.analyst, "reviewer": self.reviewer, "pjmo": self.pjmo,
                "viewer": self.viewer}[role]

    def form_data(self, system, **changes):
        data = {"system_id": system.system_id, "name_ja": system.name_ja, "name_en": "",
                "organization": system.organization_id, "classification": system.classification,
                "status": system.status, "hosting": system.hosting, "purpose": system.purpose,
                "functions": "", "users": [], "platforms": [], "reason": "権限テスト"}
        data.update(changes)
        return data

    def test_reading_a_system_project_and_organization(self):
        for role, rules in MATRIX.items():
            self.login(self.user(role))
            for where in ("own", "other"):
                expected = 200 if rules[(where, "read")] else 404
                system, project = self.systems[where], self.projects[where]
                org = system.organization
                with self.subTest(role=role, where=where):
                    assert self.client.get(f"/systems/{system.system_id}/").status_code == expected
                    assert self.client.get(f"/systems/{system.system_id}/as-of/").status_code == expected
                    assert self.client.get(f"/projects/{project.project_id}/").status_code == expected
                    assert self.client.get(f"/organizations/{org.code}/").status_code == expected
                    history = self.client.get(f"/history/inventory.informationsystem/{system.pk}/")
                    assert history.status_code == expected

    def test_updating_a_system(self):
        for role, rules in MATRIX.items():
            self.login(self.user(role))
            for where in ("own", "other"):
                system = self.systems[where]
                with self.subTest(role=role, where=where):
                    response = self.client.post(f"/systems/{system.system_id}/edit/",
                                                self.form_data(system, name_ja=f"{role}が変更"))
                    changed = InformationSystem.objects.get(pk=system.pk).name_ja == f"{role}が変更"
                    assert changed is rules[(where, "write")], response.status_code
                    if not rules[(where, "write")]:
                        assert response.status_code == (403 if rules[(where, "read")] else 404)

    def test_creating_a_system_in_an_organization(self):
        for role, rules in MATRIX.items():
            self.login(self.user(role))
            for where, org in (("own", self.mhlw_bureau), ("other", self.moj)):
                system_id = f"NEW-{role}-{where}"
                with self.subTest(role=role, where=where):
                    self.client.post("/systems/new/", {
                        "system_id": system_id, "name_ja": "新規システム", "organization": org.pk,
                        "classification": "ministry", "status": "planned", "hosting": "unknown",
                        "functions": "", "users": [], "platforms": []})
                    assert InformationSystem.objects.filter(system_id=system_id).exists() is rules[(where, "write")]

    def test_only_an_administrator_deletes_a_system(self):
        for role in ("analyst", "reviewer", "viewer", "pjmo", "admin"):
            rules = MATRIX[role]
            for where in ("other", "own"):
                system = self.systems[where]
                if not InformationSystem.objects.filter(pk=system.pk).exists():
                    continue
                self.login(self.user(role))
                with self.subTest(role=role, where=where):
                    self.client.post(f"/systems/{system.system_id}/delete/", {"reason": "権限テスト"})
                    gone = not InformationSystem.objects.filter(pk=system.pk).exists()
                    assert gone is (rules[(where, "write")] and role == "admin")

    def test_anonymous_visitors_see_nothing_but_the_login_page(self):
        for url in ("/", "/systems/", "/systems/OWN-1/", "/projects/", "/organizations/", "/changes/",
                    "/systems/export.csv"):
            response = self.client.get(url)
            assert response.status_code == 302 and response["Location"].startswith("/login/"), url

    def test_restricted_fields_need_clearance(self):
        self.login(self.analyst)  # analysts have clearance in the base case
        assert "脆弱性対応中" in self.client.get("/systems/OTHER-1/").content.decode()
        self.login(self.pjmo)
        assert "脆弱性対応中" not in self.client.get("/systems/OWN-1/").content.decode()

    def test_the_change_log_shows_ministry_roles_only_their_own_records(self):
        from mieruka.core.audit import audited_update

        for where in ("own", "other"):
            audited_update(actor=self.actor(), instance=self.systems[where], data={"status": "retiring"},
                           reason=f"{where}の変更")
        for role in MATRIX:
            self.login(self.user(role))
            body = self.client.get("/changes/").content.decode()
            assert "ownの変更" in body, role
            assert ("otherの変更" in body) is MATRIX[role][("other", "read")], role


class PjmoSeesNothingOfOtherMinistriesTest(PortfolioTestCase):
    """A PJMO's search, counts and exports contain nothing from other ministries."""

    def setUp(self):
        fy = fiscal_year_of(timezone.localdate())
        own = factories.system(organization=self.mhlw, system_id="H-1", name_ja="文書管理システム（厚労）")
        other = factories.system(organization=self.moj, system_id="J-1", name_ja="文書管理システム（法務）",
                                 hosting="government_cloud")
        factories.budget_line(system=own, fiscal_year=fy, amount_yen=100_000_000)
        factories.budget_line(system=other, fiscal_year=fy, amount_yen=9_000_000_000)
        self.login(self.pjmo)

    def test_search_finds_only_own_systems(self):
        body = self.client.get("/systems/", {"q": "文書管理"}).content.decode()
        # Organization names stay in the filter's choices; the other ministry's systems do not appear.
        assert "H-1" in body and "J-1" not in body and "文書管理システム（法務）" not in body

    def test_home_counts_only_own_systems_and_budget(self):
        response = self.client.get("/")
        assert response.context["systems"] == 1
        assert response.context["budget_total"] == 100_000_000
        assert response.context["cloud_systems"] == 0

    def test_the_csv_download_holds_only_own_systems(self):
        response = self.client.get("/systems/export.csv")
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "H-1" in body and "J-1" not in body

    def test_the_organizations_list_shows_only_own_subtree(self):
        body = self.client.get("/organizations/").content.decode()
        assert "厚生労働省" in body and "法務省" not in body


class HandedOverSystemTest(PortfolioTestCase):
    """A system handed over to another ministry is theirs: the former owner no longer reads its new lines."""

    def test_the_former_owner_does_not_see_budget_lines_added_after_the_hand_over(self):
        from mieruka.budgets.services import budget_line_set
        from mieruka.core.audit import audited_update

        system = factories.system(organization=self.mhlw, system_id="MOVED-1")
        audited_update(actor=self.actor(), instance=system, data={"organization": self.moj}, reason="移管")
        budget_line_set(actor=self.actor(), system=system, fiscal_year=2026, category="operation", stage="initial",
                        amount_yen=424_242_424, reason="移管後の予算")
        self.login(self.pjmo)
        body = self.client.get("/changes/").content.decode()
        assert "移管" in body  # the hand-over itself is part of the former owner's history
        assert "移管後の予算" not in body and "424242424" not in body
        assert "424242424" not in self.client.get("/api/v1/changes/").content.decode()
        self.login(self.pjmo_other)
        assert "移管後の予算" in self.client.get("/changes/").content.decode()
