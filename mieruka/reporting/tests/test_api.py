"""Reporting campaigns and returns over the API: who sees which, the administrators' steps, a ministry
answering and submitting its return, with If-Match on every change of state."""

import datetime

from mieruka.api.etag import etag_for
from mieruka.api.tests.base import ApiTestCase
from mieruka.reporting import services
from mieruka.reporting.models import Campaign, Return
from mieruka.testing import factories


class ReportingApiTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pension = factories.system(organization=cls.mhlw, hosting="on_premises", annual_users=1000)
        cls.registry = factories.system(organization=cls.moj, hosting="on_premises", annual_users=10)
        cls.campaign = services.campaign_create(
            actor=cls.actor(cls), title="基本情報の確認", fields=["system.hosting", "system.annual_users"],
            organizations=[cls.mhlw, cls.moj], due_on=datetime.date(2026, 12, 15))
        cls.campaign = services.campaign_open(actor=cls.actor(cls), campaign=cls.campaign)
        cls.draft = services.campaign_create(actor=cls.actor(cls), title="下書き", fields=["system.status"],
                                             organizations=[cls.mhlw], due_on=datetime.date(2027, 1, 15))
        cls.mhlw_return = Return.objects.get(campaign=cls.campaign, organization=cls.mhlw)
        cls.moj_return = Return.objects.get(campaign=cls.campaign, organization=cls.moj)

    def actor(self, user=None, source="web"):
        from mieruka.core.audit import Actor

        user = user or self.admin
        return Actor(user=user, name=user.get_username(), source=source)

    @staticmethod
    def etag(instance):
        instance.refresh_from_db()
        return etag_for(instance)

    def test_a_ministry_sees_the_campaigns_asking_it_but_not_drafts_and_only_its_own_return(self):
        body = self.api(self.pjmo).get("/api/v1/campaigns/").json()
        assert [r["id"] for r in body["results"]] == [self.campaign.pk]
        assert body["results"][0]["fields"] == ["system.hosting", "system.annual_users"]
        self.assert_error(self.api(self.pjmo).get(f"/api/v1/campaigns/{self.draft.pk}/"), 404, "not_found")
        assert self.api(self.admin).get("/api/v1/campaigns/?status=draft").json()["count"] == 1
        body = self.api(self.pjmo).get("/api/v1/returns/").json()
        assert [r["id"] for r in body["results"]] == [self.mhlw_return.pk]
        assert body["results"][0]["items_pending"] == 2 and body["results"][0]["campaign"]["id"] == self.campaign.pk
        self.assert_error(self.api(self.pjmo).get(f"/api/v1/returns/{self.moj_return.pk}/"), 404, "not_found")
        assert self.api(self.analyst).get(f"/api/v1/returns/?campaign={self.campaign.pk}").json()["count"] == 2
        assert self.api(self.analyst).get("/api/v1/returns/?organization=MOJ").json()["count"] == 1

    def test_a_return_lists_its_items_and_a_foreign_ministry_sees_none_of_them(self):
        body = self.api(self.pjmo).get(f"/api/v1/returns/{self.mhlw_return.pk}/items/?state=pending").json()
        assert body["count"] == 2 and {i["field"] for i in body["results"]} == {"system.hosting",
                                                                                  "system.annual_users"}
        assert self.registry.system_id not in str(body)
        self.assert_error(self.api(self.pjmo).get(f"/api/v1/returns/{self.moj_return.pk}/items/"), 404, "not_found")
        self.assert_error(self.api(self.pjmo).get(f"/api/v1/returns/{self.mhlw_return.pk}/items/?state=x"), 400,
                          "validation_error")

    def test_the_ministry_answers_and_submits_and_the_administrator_accepts(self):
        client, url = self.api(self.pjmo), f"/api/v1/returns/{self.mhlw_return.pk}/"
        items = {i.field: i for i in self.mhlw_return.items.all()}
        response = client.post(url + "answers/", {"answers": [
            {"item": items["system.annual_users"].pk, "value": 2000}], "confirm_all": True}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["items_changed"] == 1 and response.json()["items_pending"] == 0
        self.assert_error(client.post(url + "submit/"), 428, "precondition_required")
        response = client.post(url + "submit/", HTTP_IF_MATCH=self.etag(self.mhlw_return))
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "submitted"
        self.assert_error(client.post(url + "accept/", **self.if_match(self.mhlw_return)), 403, "permission_denied")
        response = self.api(self.admin).post(url + "accept/", **self.if_match(self.mhlw_return))
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "accepted"
        self.pension.refresh_from_db()
        assert self.pension.annual_users == 2000

    def test_sending_back_needs_a_reason_and_a_current_etag(self):
        Return.objects.filter(pk=self.mhlw_return.pk).update(status="submitted", submitted_at=self.campaign.opened_at)
        url = f"/api/v1/returns/{self.mhlw_return.pk}/send-back/"
        stale = '"stale"'
        self.assert_error(self.api(self.admin).post(url, {"reason": "数値を再確認"}, format="json", HTTP_IF_MATCH=stale),
                          412, "precondition_failed")
        self.assert_error(self.api(self.admin).post(url, {}, format="json", HTTP_IF_MATCH=self.etag(self.mhlw_return)),
                          400, "validation_error")
        response = self.api(self.admin).post(url, {"reason": "数値を再確認"}, format="json",
                                             HTTP_IF_MATCH=self.etag(self.mhlw_return))
        assert response.status_code == 200 and response.json()["send_back_reason"] == "数値を再確認"

    def test_another_ministry_and_viewers_may_not_answer(self):
        item = self.mhlw_return.items.first()
        body = {"answers": [{"item": item.pk, "value": "x"}]}
        self.assert_error(self.api(self.pjmo_other).post(f"/api/v1/returns/{self.mhlw_return.pk}/answers/", body,
                                                         format="json"), 404, "not_found")
        self.assert_error(self.api(self.viewer).post(f"/api/v1/returns/{self.mhlw_return.pk}/answers/", body,
                                                     format="json"), 403, "permission_denied")
        self.assert_error(self.api(self.viewer).post(f"/api/v1/returns/{self.mhlw_return.pk}/submit/",
                                                     **self.if_match(self.mhlw_return)), 403, "permission_denied")

    def test_only_administrators_draft_open_and_close_campaigns(self):
        payload = {"title": "クラウド利用状況", "fields": ["system.purpose"], "organizations": ["MOJ"],
                   "due_on": "2027-02-01"}
        self.assert_error(self.api(self.pjmo).post("/api/v1/campaigns/", payload, format="json"), 403,
                          "permission_denied")
        self.assert_error(self.api(self.analyst).post("/api/v1/campaigns/", payload, format="json"), 403,
                          "permission_denied")
        self.assert_error(self.api(self.admin).post("/api/v1/campaigns/", {**payload, "fields": ["no.such"]},
                                                    format="json"), 400, "validation_error")
        response = self.api(self.admin).post("/api/v1/campaigns/", payload, format="json")
        assert response.status_code == 201, response.json()
        campaign = Campaign.objects.get(pk=response.json()["id"])
        url = f"/api/v1/campaigns/{campaign.pk}/"
        self.assert_error(self.api(self.pjmo).post(url + "open/", **self.if_match(campaign)), 404, "not_found")
        self.assert_error(self.api(self.admin).post(url + "open/", HTTP_IF_MATCH='"stale"'), 412,
                          "precondition_failed")
        response = self.api(self.admin).post(url + "open/", **self.if_match(campaign))
        assert response.status_code == 200 and response.json()["status"] == "open", response.json()
        self.assert_error(self.api(self.pjmo_other).post(url + "close/", **self.if_match(campaign)), 403,
                          "permission_denied")
        response = self.api(self.admin).post(url + "close/", **self.if_match(campaign))
        assert response.json()["status"] == "closed"

    def test_an_answer_of_the_wrong_shape_is_refused_naming_the_answers(self):
        item = self.mhlw_return.items.get(field="system.annual_users")
        response = self.api(self.pjmo).post(f"/api/v1/returns/{self.mhlw_return.pk}/answers/", {
            "answers": [{"item": item.pk, "value": "たくさん"}]}, format="json")
        self.assert_error(response, 400, "application_error")
        item.refresh_from_db()
        assert item.state == "pending"
