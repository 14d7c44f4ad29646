"""A write outside the editor's own ministry is refused with a reason in Japanese and English, and writes nothing."""

from mieruka.inventory.models import InformationSystem
from mieruka.testing import factories

from .base import ApiTestCase

REFUSAL = ("この組織のデータを変更する権限がありません", "You may not change data of this organization")


class WriteRefusalTest(ApiTestCase):
    def test_an_editor_cannot_create_a_system_for_another_ministry(self):
        response = self.api(self.pjmo).post("/api/v1/systems/", {
            "system_id": "MOJ-NEW", "name_ja": "他省のシステム", "organization": self.moj.code,
            "classification": "ministry", "status": "planned"}, format="json")
        error = self.assert_error(response, 403, "permission_denied")
        assert (error["message_ja"], error["message_en"]) == REFUSAL
        assert not InformationSystem.objects.filter(system_id="MOJ-NEW").exists()

    def test_an_editor_cannot_move_their_system_to_another_ministry(self):
        system = factories.system(organization=self.mhlw, system_id="MHLW-MOVE")
        response = self.api(self.pjmo).patch(f"/api/v1/systems/{system.system_id}/", {"organization": self.moj.code},
                                             format="json", **self.if_match(system))
        error = self.assert_error(response, 403, "permission_denied")
        assert (error["message_ja"], error["message_en"]) == REFUSAL
        system.refresh_from_db()
        assert system.organization == self.mhlw
