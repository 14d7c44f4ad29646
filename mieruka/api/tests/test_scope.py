"""A ministry user's API lists, searches and counts contain nothing from other ministries, and restricted
fields stay hidden without clearance."""

from mieruka.api.etag import etag_for
from mieruka.core.audit import audited_update
from mieruka.inventory.models import InformationSystem
from mieruka.inventory.services import system_create
from mieruka.testing import factories

from .base import ApiTestCase

OVERSIGHT_ENDPOINTS = {
    "reviews": "/api/v1/reviews/", "findings": "/api/v1/findings/", "status_reports": "/api/v1/status-reports/",
    "plans": "/api/v1/plans/", "decisions": "/api/v1/decisions/", "campaigns": "/api/v1/campaigns/",
    "returns": "/api/v1/returns/",
}


class MinistryScopeTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.own = factories.system(
            organization=cls.mhlw_bureau, name_ja="年金給付システム", internal_notes="脆弱性対応中"
        )
        cls.foreign = factories.system(organization=cls.moj, name_ja="年金照会システム")
        for system in (cls.own, cls.foreign):
            factories.budget_line(system=system)
            factories.project(systems=[system])
            factories.interface(
                from_system=system, to_system=factories.system(organization=system.organization)
            )

    def test_a_pjmo_lists_searches_and_counts_only_their_ministry(self):
        client = self.api(self.pjmo)
        for url in (
            "/api/v1/systems/?q=年金",
            "/api/v1/systems/",
            "/api/v1/projects/",
            "/api/v1/budget-lines/",
            "/api/v1/interfaces/",
            "/api/v1/organizations/",
        ):
            with self.subTest(url=url):
                body = client.get(url).json()
                assert body["count"] == len(body["results"]) > 0
                text = str(body["results"])
                assert "MOJ" not in text and self.foreign.system_id not in text and "法務省" not in text
        assert client.get("/api/v1/systems/?q=年金").json()["count"] == 1
        assert client.get("/api/v1/systems/?organization=MOJ").json()["count"] == 0

    def test_a_pjmo_sees_no_other_ministrys_oversight_records(self):
        from mieruka.testing.oversight import oversight_records

        own, foreign = oversight_records(self.mhlw_bureau), oversight_records(self.moj)
        client = self.api(self.pjmo)
        for name, path in OVERSIGHT_ENDPOINTS.items():
            with self.subTest(endpoint=path):
                body = client.get(path).json()
                ids = {r["id"] for r in body["results"]}
                assert own[name].pk in ids and foreign[name].pk not in ids, (ids, own[name].pk)
                assert body["count"] == len(ids)
                self.assert_error(client.get(f"{path}{foreign[name].pk if name != 'plans' else foreign[name].code}/"),
                                  404, "not_found")
                assert "MOJ" not in str(body["results"]) and self.foreign.system_id not in str(body["results"])
        assert self.api(self.analyst).get("/api/v1/reviews/").json()["count"] == 2

    def test_an_analyst_sees_every_ministry(self):
        assert self.api(self.analyst).get("/api/v1/systems/?q=年金").json()["count"] == 2

    def test_the_change_log_shows_a_pjmo_only_changes_to_their_ministrys_records(self):
        actor = self.actor()
        audited_update(actor=actor, instance=self.own, data={"purpose": "給付"})
        audited_update(actor=actor, instance=self.foreign, data={"purpose": "照会"})
        moved = system_create(
            actor=actor,
            data={
                "system_id": "MOVED",
                "name_ja": "移管",
                "organization": self.mhlw,
                "classification": "ministry",
                "status": "operation",
            },
        )
        audited_update(
            actor=actor, instance=moved, data={"organization": self.moj}
        )  # moved away: still theirs
        results = self.api(self.pjmo).get("/api/v1/changes/").json()["results"]
        ids = {(r["object_type"], r["object_id"]) for r in results}
        assert ("inventory.informationsystem", self.own.pk) in ids
        assert ("inventory.informationsystem", self.foreign.pk) not in ids
        assert ("inventory.informationsystem", moved.pk) in ids
        assert self.api(self.analyst).get("/api/v1/changes/").json()["count"] == 4

    def test_internal_notes_need_clearance_in_records_and_in_the_change_log(self):
        audited_update(actor=self.actor(), instance=self.own, data={"internal_notes": "対応完了"})
        url = f"/api/v1/systems/{self.own.system_id}/"
        assert "internal_notes" not in self.api(self.pjmo).get(url).json()
        assert self.api(self.admin).get(url).json()["internal_notes"] == "対応完了"
        change = self.api(self.pjmo).get("/api/v1/changes/").json()["results"][0]
        assert "internal_notes" not in change["before"] and "internal_notes" not in change["after"]
        change = self.api(self.admin).get("/api/v1/changes/").json()["results"][0]
        assert change["after"]["internal_notes"] == "対応完了"

    def test_without_clearance_internal_notes_cannot_be_written_either(self):
        url = f"/api/v1/systems/{self.own.system_id}/"
        response = self.api(self.pjmo).patch(
            url, {"internal_notes": "消去", "reason": "権限テスト"}, format="json", HTTP_IF_MATCH=etag_for(self.own)
        )
        assert response.status_code == 200
        self.own.refresh_from_db()
        assert self.own.internal_notes == "脆弱性対応中"

    def test_filters_are_the_pages_filters(self):
        cloud = factories.system(organization=self.mhlw, hosting="government_cloud", important=True)
        body = self.api(self.analyst).get("/api/v1/systems/?hosting=government_cloud&important=yes").json()
        assert [r["system_id"] for r in body["results"]] == [cloud.system_id]
        body = self.api(self.analyst).get("/api/v1/systems/?organization=MHLW&sort=-system_id").json()
        expected = InformationSystem.objects.filter(organization__in=[self.mhlw, self.mhlw_bureau])
        assert [r["system_id"] for r in body["results"]] == sorted(
            expected.values_list("system_id", flat=True), reverse=True
        )
        assert cloud.system_id in str(body) and self.foreign.system_id not in str(body)

    def test_lists_are_paged_by_limit_and_offset_with_the_total_count(self):
        body = self.api(self.analyst).get("/api/v1/systems/?limit=1&offset=1&sort=system_id").json()
        assert body["count"] == InformationSystem.objects.count() and len(body["results"]) == 1
        assert "offset=2" in body["next"] and body["previous"]
