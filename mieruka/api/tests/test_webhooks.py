"""Webhooks: administrators subscribe (audited); committed changes are delivered, signed with HMAC-SHA256,
to a real HTTP receiver started here, retried with backoff after a failure, logged per subscription, and
limited to what the subscription's owner may read."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.db import transaction

from mieruka.api import webhooks
from mieruka.api.etag import etag_for
from mieruka.api.models import WebhookDelivery, WebhookSubscription
from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase


class Receiver:
    """An HTTP server on a free port that keeps every request and answers with the statuses it is given
    (then 200)."""

    def __init__(self, statuses=()):
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does: recompute the signature over "<t>.<body>" and compare in constant time."""
    parts = dict(item.split("=", 1) for item in headers["Mieruka-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


class WebhookTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)

    def subscribe(self, *, user=None, **fields) -> dict:
        body = {"name": "台帳連携", "target_url": self.receiver.url, "record_types": ["system"],
                "events": ["created", "updated", "deleted"], **fields}
        if user is not None:
            body["user"] = user.username
        response = self.api(self.admin).post("/api/v1/webhooks/", body, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    def committed(self, write):
        """Run `write` and the work its commit starts (the dispatch and delivery tasks run at once here)."""
        with self.captureOnCommitCallbacks(execute=True):
            result = write()
        return result

    def create_system(self, client=None, **fields):
        body = {"system_id": "S-WH1", "name_ja": "通知対象システム", "organization": "MHLW",
                "classification": "ministry", "status": "operation", **fields}
        response = self.committed(lambda: (client or self.api(self.admin)).post("/api/v1/systems/", body,
                                                                                 format="json"))
        assert response.status_code == 201, response.content
        return response.json()

    def test_an_administrator_subscribes_sees_the_secret_once_and_the_change_is_audited(self):
        created = self.subscribe()
        assert created["secret"].startswith("whsec_") and created["user"] == "admin"
        assert created["record_types"] == ["system"] and created["events"] == ["created", "updated", "deleted"]
        again = self.api(self.admin).get(f"/api/v1/webhooks/{created['id']}/").json()
        assert again["secret"] is None
        change = ObjectChange.objects.get(changed_object_type__model="webhooksubscription", action="create")
        assert change.user == self.admin
        assert created["secret"] not in json.dumps(change.postchange_data)  # only a fingerprint is kept
        assert change.postchange_data["secret"].startswith("sha256:")

    def test_only_administrators_manage_subscriptions(self):
        sub = self.subscribe()
        for user in (self.pjmo, self.analyst, self.viewer):
            with self.subTest(user=user.username):
                self.assert_error(self.api(user).get("/api/v1/webhooks/"), 403, "permission_denied")
                self.assert_error(self.api(user).get(f"/api/v1/webhooks/{sub['id']}/deliveries/"), 403,
                                  "permission_denied")
                self.assert_error(self.api(user).post("/api/v1/webhooks/", {"name": "x"}, format="json"), 403,
                                  "permission_denied")

    def test_unknown_record_types_or_events_are_refused(self):
        response = self.api(self.admin).post("/api/v1/webhooks/", {
            "name": "x", "target_url": self.receiver.url, "record_types": ["change"], "events": ["created"]},
            format="json")
        error = self.assert_error(response, 400, "validation_error")
        assert "record_types" in error["fields"]
        response = self.api(self.admin).post("/api/v1/webhooks/", {
            "name": "x", "target_url": self.receiver.url, "record_types": ["system"], "events": ["renamed"]},
            format="json")
        assert "events.0" in self.assert_error(response, 400, "validation_error")["fields"]

    def test_a_created_record_is_delivered_signed_with_its_payload(self):
        sub = self.subscribe()
        record = self.create_system()
        assert len(self.receiver.requests) == 1
        request = self.receiver.requests[0]
        assert request["path"] == "/hook"
        assert verify(sub["secret"], request["headers"], request["body"])
        assert not verify("whsec_wrong", request["headers"], request["body"])
        event = json.loads(request["body"])
        assert request["headers"]["Mieruka-Event"] == "created"
        assert request["headers"]["Mieruka-Delivery"] == event["id"]
        assert event["event"] == "created" and event["record_type"] == "system"
        assert event["record"]["system_id"] == "S-WH1" and event["record"]["url"] == record["url"]
        assert event["record"]["organization"]["code"] == "MHLW"
        assert event["change"]["user"] == "admin" and event["change"]["source"] == "api"
        delivery = WebhookDelivery.objects.get()
        assert (delivery.attempt, delivery.status_code, delivery.succeeded) == (1, 200, True)

    def test_updates_and_deletions_are_delivered_with_what_changed(self):
        self.subscribe()
        self.create_system()
        system = self.api(self.admin).get("/api/v1/systems/S-WH1/")
        url, etag = "/api/v1/systems/S-WH1/", system["ETag"]
        self.committed(lambda: self.api(self.admin).patch(url, {"purpose": "目的を更新"}, format="json",
                                                          HTTP_IF_MATCH=etag, HTTP_X_CHANGE_REASON="test"))
        etag = self.api(self.admin).get(url)["ETag"]
        self.committed(lambda: self.api(self.admin).delete(url, HTTP_IF_MATCH=etag, HTTP_X_CHANGE_REASON="test"))
        created, updated, deleted = self.receiver.events()
        assert updated["event"] == "updated" and updated["changed_fields"] == ["purpose"]
        assert updated["record"]["purpose"] == "目的を更新" and updated["change"]["reason"] == "test"
        assert deleted["event"] == "deleted" and deleted["record"]["system_id"] == "S-WH1"
        assert deleted["codes"]["organization"] == "MHLW"
        assert created["record"]["id"] == updated["record"]["id"] == deleted["record"]["id"]

    def test_a_failed_delivery_is_retried_with_backoff_and_logged(self):
        self.receiver.statuses = [500, 503]
        sub = self.subscribe()
        self.create_system()
        assert len(self.receiver.requests) == 3
        bodies = {r["body"] for r in self.receiver.requests}
        assert len(bodies) == 1  # the same event each time (signed afresh)
        log = self.api(self.admin).get(f"/api/v1/webhooks/{sub['id']}/deliveries/").json()
        assert log["count"] == 3
        attempts = sorted(log["results"], key=lambda d: d["attempt"])
        assert [(d["attempt"], d["status_code"], d["succeeded"]) for d in attempts] == [
            (1, 500, False), (2, 503, False), (3, 200, True)]
        assert "500" in attempts[0]["error"] and attempts[2]["error"] == ""
        assert len({d["event_id"] for d in attempts}) == 1
        first, second, third = (WebhookDelivery.objects.get(attempt=n) for n in (1, 2, 3))
        assert second.scheduled_for - first.sent_at == webhooks.retry_delay(1)
        assert third.scheduled_for - second.sent_at == webhooks.retry_delay(2) == 2 * webhooks.retry_delay(1)

    def test_it_gives_up_after_the_last_attempt(self):
        self.receiver.statuses = [500] * 10
        self.subscribe()
        self.create_system()
        assert len(self.receiver.requests) == webhooks.MAX_ATTEMPTS
        assert not WebhookDelivery.objects.filter(succeeded=True).exists()

    def test_an_unreachable_receiver_is_logged_as_an_error(self):
        self.subscribe(target_url="http://127.0.0.1:9/")
        self.receiver.close()
        self.create_system()
        delivery = WebhookDelivery.objects.order_by("attempt").first()
        assert delivery.status_code is None and delivery.error and not delivery.succeeded

    def test_deliveries_carry_only_what_the_owner_may_read(self):
        self.subscribe(user=self.pjmo_other)  # 法務省: may not read 厚生労働省's systems
        self.subscribe(user=self.pjmo)  # 厚生労働省, without clearance
        self.create_system(internal_notes="内部メモ")
        (event,) = self.receiver.events()
        assert event["record"]["system_id"] == "S-WH1"
        assert "internal_notes" not in event["record"]
        assert WebhookDelivery.objects.get().subscription.user == self.pjmo

    def test_filters_select_record_types_events_and_organizations(self):
        self.subscribe(record_types=["project"])
        self.subscribe(events=["deleted"])
        self.subscribe(organization="MOJ")
        self.create_system()
        assert self.receiver.requests == []
        self.subscribe(organization="MHLW")
        other = factories.system(organization=self.mhlw)
        self.committed(lambda: self.api(self.admin).patch(
            f"/api/v1/systems/{other.system_id}/", {"purpose": "x"}, format="json",
            HTTP_IF_MATCH=etag_for(other), HTTP_X_CHANGE_REASON="test"))
        assert [e["record"]["system_id"] for e in self.receiver.events()] == [other.system_id]

    def test_a_change_that_rolls_back_announces_nothing(self):
        self.subscribe()
        from mieruka.core.audit import Actor
        from mieruka.inventory.services import system_create

        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    system_create(actor=Actor(user=self.admin, name="admin", source="cli"), data={
                        "system_id": "S-RB", "name_ja": "取消", "organization": self.mhlw,
                        "classification": "ministry", "status": "operation"})
                    raise RuntimeError
            except RuntimeError:
                pass
        assert self.receiver.requests == [] and not WebhookDelivery.objects.exists()

    def test_an_inactive_or_deleted_subscription_gets_nothing(self):
        sub = self.subscribe()
        response = self.committed(lambda: self.api(self.admin).patch(
            f"/api/v1/webhooks/{sub['id']}/", {"active": False}, format="json",
            HTTP_IF_MATCH=etag_for(WebhookSubscription.objects.get()), HTTP_X_CHANGE_REASON="pause"))
        assert response.status_code == 200 and response.json()["active"] is False
        self.create_system()
        assert self.receiver.requests == []
        self.committed(lambda: self.api(self.admin).delete(
            f"/api/v1/webhooks/{sub['id']}/", HTTP_IF_MATCH=etag_for(WebhookSubscription.objects.get()),
            HTTP_X_CHANGE_REASON="done"))
        assert not WebhookSubscription.objects.exists()
        assert ObjectChange.objects.filter(changed_object_type__model="webhooksubscription",
                                           action__in=["update", "delete"]).count() == 2

    def test_a_deletion_reaches_only_owners_who_could_read_the_record(self):
        line = factories.budget_line(system=factories.system(organization=self.mhlw))
        self.subscribe(user=self.pjmo_other, record_types=["budget-line"], events=["deleted"])
        self.subscribe(user=self.pjmo, record_types=["budget-line"], events=["deleted"])
        self.committed(lambda: self.api(self.admin).delete(
            f"/api/v1/budget-lines/{line.pk}/", HTTP_IF_MATCH=etag_for(line), HTTP_X_CHANGE_REASON="test"))
        (event,) = self.receiver.events()
        assert event["event"] == "deleted" and event["record"]["id"] == line.pk
        assert event["record"]["amount_yen"] == line.amount_yen
        assert event["codes"]["system"] == line.system.system_id
        assert WebhookDelivery.objects.get().subscription.user == self.pjmo


class WebhookAdminTest(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for user in (cls.admin, cls.pjmo):
            user.is_staff = True
            user.save()

    def test_administrators_add_subscriptions_and_read_the_delivery_log_in_the_admin(self):
        self.client.force_login(self.admin)
        response = self.client.post("/admin/api/webhooksubscription/add/", {
            "name": "管理画面から", "user": self.admin.pk, "target_url": "https://receiver.example.jp/hook",
            "record_types": '["system"]', "events": '["created"]', "base_url": "https://mieruka.example.jp/",
            "active": "on", "change_reason": "連携開始",
            "deliveries-TOTAL_FORMS": "0", "deliveries-INITIAL_FORMS": "0"}, follow=True)
        assert response.status_code == 200
        subscription = WebhookSubscription.objects.get(name="管理画面から")
        assert subscription.secret.startswith("whsec_")
        assert subscription.secret in response.content.decode()  # shown once, on this answer
        change = ObjectChange.objects.get(changed_object_type__model="webhooksubscription")
        assert change.reason == "連携開始" and change.source == "admin"
        WebhookDelivery.objects.create(subscription=subscription, event_id="5b0e6f1e-0000-4000-8000-000000000001",
                                       event="created", record_type="system", object_id=1, payload={},
                                       status_code=500, error="HTTP 500 Internal Server Error")
        page = self.client.get("/admin/api/webhookdelivery/")
        assert page.status_code == 200 and "管理画面から" in page.content.decode()
        detail = self.client.get(f"/admin/api/webhooksubscription/{subscription.pk}/change/")
        assert "HTTP 500 Internal Server Error" in detail.content.decode()

    def test_a_ministry_steward_cannot_see_webhooks_in_the_admin(self):
        self.client.force_login(self.pjmo)
        assert self.client.get("/admin/api/webhooksubscription/").status_code == 403
        assert self.client.get("/admin/api/webhookdelivery/").status_code == 403

