"""Mid-term plans and decisions over the API: scoped lists and filters, registering within one's own
organization, and other ministries' systems never shown."""

import datetime
from decimal import Decimal

from mieruka.api.etag import etag_for
from mieruka.api.tests.base import ApiTestCase
from mieruka.core.models import ObjectChange
from mieruka.plans.models import Decision, Initiative, MidTermPlan
from mieruka.testing import factories


class PlanApiTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(organization=cls.mhlw_bureau)
        cls.moj_system = factories.system(organization=cls.moj)
        cls.plan = MidTermPlan.objects.create(organization=cls.mhlw, code="MHLW-2026", title="厚労省中長期計画",
                                              start_year=2026, end_year=2030)
        initiative = Initiative.objects.create(plan=cls.plan, code="I1", title="運用経費3割削減", base_year=2025,
                                               target_year=2030, target_reduction_pct=Decimal("30"))
        initiative.systems.add(cls.system, cls.moj_system)
        cls.moj_plan = MidTermPlan.objects.create(organization=cls.moj, code="MOJ-2021", title="法務省計画",
                                                  start_year=2021, end_year=2025)

    def test_a_pjmo_lists_their_ministrys_plans_with_initiatives_and_no_foreign_system(self):
        body = self.api(self.pjmo).get("/api/v1/plans/").json()
        assert [r["code"] for r in body["results"]] == ["MHLW-2026"]
        initiative = body["results"][0]["initiatives"][0]
        assert initiative["target_reduction_pct"] == "30.0" and initiative["systems"] == [self.system.system_id]
        assert self.moj_system.system_id not in str(body)
        self.assert_error(self.api(self.pjmo).get("/api/v1/plans/MOJ-2021/"), 404, "not_found")
        detail = self.api(self.analyst).get("/api/v1/plans/MHLW-2026/")
        assert detail["ETag"] == etag_for(self.plan)
        assert detail.json()["initiatives"][0]["systems"] == sorted([self.system.system_id, self.moj_system.system_id])

    def test_filters_by_organization_and_fiscal_year(self):
        client = self.api(self.analyst)
        assert [r["code"] for r in client.get("/api/v1/plans/?fiscal_year=2023").json()["results"]] == ["MOJ-2021"]
        assert [r["code"] for r in client.get("/api/v1/plans/?organization=MHLW").json()["results"]] == ["MHLW-2026"]
        self.assert_error(client.get("/api/v1/plans/?fiscal_year=soon"), 400, "validation_error")

    def test_an_editor_registers_a_plan_of_their_ministry_only(self):
        payload = {"organization": "MHLW", "code": "MHLW-2031", "title": "次期計画", "start_year": 2031,
                   "end_year": 2035}
        response = self.api(self.pjmo).post("/api/v1/plans/", payload, format="json")
        assert response.status_code == 201, response.json()
        assert ObjectChange.objects.filter(changed_object_id=response.json()["id"], source="api").exists()
        response = self.api(self.pjmo_other).post("/api/v1/plans/", {**payload, "code": "X"}, format="json")
        self.assert_error(response, 403, "permission_denied")
        self.assert_error(self.api(self.viewer).post("/api/v1/plans/", {**payload, "code": "Y"}, format="json"),
                          403, "permission_denied")
        # The Digital Agency's analysts register plans for any ministry, as on the plan pages.
        response = self.api(self.analyst).post("/api/v1/plans/", {**payload, "code": "MHLW-2036"}, format="json")
        assert response.status_code == 201, response.json()
        response = self.api(self.pjmo).post("/api/v1/plans/", payload, format="json")
        self.assert_error(response, 400, "validation_error")  # the code is taken
        assert "MHLW-2031" in response.content.decode()
        assert not MidTermPlan.objects.filter(code__in=["X", "Y"]).exists()


class DecisionApiTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.system = factories.system(organization=cls.mhlw_bureau)
        cls.moj_system = factories.system(organization=cls.moj)
        common = {"rationale": "利用率が低い", "decided_on": datetime.date(2026, 6, 1), "decided_by": "CIO会議",
                  "effective_year": 2027}
        cls.merge = Decision.objects.create(system=cls.system, kind="merge", merged_into=cls.moj_system, **common)
        cls.moj_stop = Decision.objects.create(system=cls.moj_system, kind="stop", **common)

    def test_a_pjmo_sees_their_decisions_but_not_another_ministrys_merge_target(self):
        body = self.api(self.pjmo).get("/api/v1/decisions/").json()
        assert [r["id"] for r in body["results"]] == [self.merge.pk]
        record = body["results"][0]
        assert record["system"]["code"] == self.system.system_id and record["merged_into"] is None
        assert record["retire_deadline"] == "2027-03-31"
        assert self.moj_system.system_id not in str(body)
        self.assert_error(self.api(self.pjmo).get(f"/api/v1/decisions/{self.moj_stop.pk}/"), 404, "not_found")
        record = self.api(self.analyst).get(f"/api/v1/decisions/{self.merge.pk}/").json()
        assert record["merged_into"]["code"] == self.moj_system.system_id

    def test_filters_by_kind_system_and_organization(self):
        client = self.api(self.analyst)
        assert [r["id"] for r in client.get("/api/v1/decisions/?kind=stop").json()["results"]] == [self.moj_stop.pk]
        assert client.get(f"/api/v1/decisions/?system={self.system.system_id}").json()["count"] == 1
        assert client.get("/api/v1/decisions/?organization=MOJ").json()["count"] == 1
        assert client.get("/api/v1/decisions/?decided_from=2026-07-01").json()["count"] == 0
        self.assert_error(client.get("/api/v1/decisions/?kind=pause"), 400, "validation_error")

    def test_an_editor_records_a_stop_of_their_system_with_a_successor(self):
        successor = factories.system(organization=self.mhlw)
        response = self.api(self.pjmo).post("/api/v1/decisions/", {
            "system": self.system.system_id, "kind": "stop", "successor": successor.system_id,
            "rationale": "後継へ移行", "decided_on": "2026-11-01", "decided_by": "省CIO", "effective_year": 2028,
        }, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["successor"]["code"] == successor.system_id

    def test_refusals(self):
        payload = {"kind": "stop", "rationale": "不要", "decided_on": "2026-11-01", "decided_by": "省CIO",
                   "effective_year": 2028}
        response = self.api(self.pjmo).post("/api/v1/decisions/", {**payload, "system": self.moj_system.system_id},
                                            format="json")
        self.assert_error(response, 400, "validation_error")  # not a system they can see
        response = self.api(self.pjmo_other).post("/api/v1/decisions/", {**payload, "system": self.moj_system.system_id,
                                                  "successor": self.moj_system.system_id}, format="json")
        self.assert_error(response, 400, "application_error")  # a system cannot succeed itself
        self.assert_error(self.api(self.viewer).post("/api/v1/decisions/", {**payload, "system": self.system.system_id},
                                                     format="json"), 403, "permission_denied")
        self.assert_error(self.api(self.pjmo).post("/api/v1/decisions/", payload, format="json"), 400,
                          "application_error")  # neither a system nor a project
        url = f"/api/v1/decisions/{self.merge.pk}/"
        self.assert_error(self.api(self.admin).delete(url, **self.if_match(self.merge)), 405, "method_not_allowed")
        assert Decision.objects.count() == 2


class DecisionBulkTest(ApiTestCase):
    def test_an_editor_records_several_decisions_at_once_all_or_nothing(self):
        systems = [factories.system(organization=self.mhlw) for _ in range(2)]
        common = {"kind": "stop", "rationale": "統合により不要", "decided_on": "2026-11-01", "decided_by": "省CIO",
                  "effective_year": 2028}
        response = self.api(self.pjmo).post("/api/v1/decisions/bulk/", [
            {**common, "system": s.system_id} for s in systems], format="json")
        assert response.status_code == 201, response.json()
        assert Decision.objects.filter(system__in=systems).count() == 2
        foreign = factories.system(organization=self.moj)
        response = self.api(self.pjmo).post("/api/v1/decisions/bulk/", [
            {**common, "system": systems[0].system_id}, {**common, "system": foreign.system_id}], format="json")
        error = self.assert_error(response, 400, "validation_error")
        assert "1.system" in error["fields"]
        assert Decision.objects.filter(system__in=systems).count() == 2
