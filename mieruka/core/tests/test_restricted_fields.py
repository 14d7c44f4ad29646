"""Restricted fields (内部メモ, `internal_notes`) stay hidden from people without clearance on every surface:
the record page, "as it stood on", History, the change log and one change, the CSV export and the API.

The PJMO of the Ministry of Health edits the system but has no clearance; the analyst has it.
"""

import datetime

import time_machine

from mieruka.core.audit import audited_create, audited_update
from mieruka.core.models import ObjectChange
from mieruka.inventory.models import InformationSystem
from mieruka.testing.base import PortfolioTestCase

NOTE = "脆弱性対応中のため公開しない"
LATER_NOTE = "委託先の交代を検討"


@time_machine.travel(datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
class RestrictedFieldsTest(PortfolioTestCase):
    def setUp(self):
        self.system = audited_create(actor=self.actor(), model=InformationSystem, data={
            "system_id": "MHLW-SEC", "name_ja": "年金給付システム", "organization": self.mhlw,
            "classification": "ministry", "status": "operation", "hosting": "on_premises",
            "internal_notes": NOTE}, reason="登録")
        audited_update(actor=self.actor(), instance=self.system, data={"internal_notes": LATER_NOTE}, reason="メモ更新")
        self.change = ObjectChange.objects.filter(changed_object_id=self.system.pk).order_by("-time", "-pk").first()
        self.pages = {
            "record": f"/systems/{self.system.system_id}/",
            "as-of": f"/systems/{self.system.system_id}/as-of/?date=2026-07-01",
            "history": f"/history/inventory.informationsystem/{self.system.pk}/",
            "change log": "/changes/",
            "one change": f"/changes/{self.change.pk}/",
            "CSV export": "/systems/export.csv",
        }

    def body(self, url):
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            return b"".join(response.streaming_content).decode("utf-8-sig")
        return response.content.decode()

    def test_a_pjmo_without_clearance_sees_the_notes_on_no_page(self):
        self.login(self.pjmo)
        for surface, url in self.pages.items():
            with self.subTest(surface=surface):
                body = self.body(url)
                assert NOTE not in body and LATER_NOTE not in body
                assert "内部メモ" not in body and "internal_notes" not in body

    def test_an_analyst_with_clearance_sees_them_where_the_record_or_its_trail_is_shown(self):
        self.login(self.analyst)
        # The export and the list leave restricted fields out for everyone; the record and its trail show them.
        for surface in ("record", "as-of", "history", "one change"):
            with self.subTest(surface=surface):
                assert LATER_NOTE in self.body(self.pages[surface])
        assert NOTE in self.body(self.pages["history"])
        # The change log names the changed fields; the values are one click away.
        assert "内部メモ" in self.body(self.pages["change log"])

    def test_the_api_record_and_its_change_log_hide_them_without_clearance(self):
        from rest_framework.test import APIClient

        api = APIClient()
        api.force_authenticate(self.pjmo)
        record = api.get(f"/api/v1/systems/{self.system.system_id}/").json()
        assert "internal_notes" not in record
        for change in api.get("/api/v1/changes/").json()["results"]:
            assert "internal_notes" not in (change["before"] or {}) and "internal_notes" not in (change["after"] or {})
