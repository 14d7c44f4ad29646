"""Pages go out gzip-compressed, API answers never: compressing would make their ETags weak, and a weak
tag in If-Match is refused (strong comparison), so a client that accepts gzip could never change a record."""

import gzip

from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase


class CompressionTest(ApiTestCase):
    def test_a_page_is_sent_compressed_to_a_browser_that_accepts_gzip(self):
        self.login(self.analyst)
        plain = self.client.get("/insights/")
        packed = self.client.get("/insights/", headers={"accept-encoding": "gzip, deflate, br"})
        assert "Content-Encoding" not in plain
        assert packed["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed["Vary"]
        body = gzip.decompress(packed.content)
        assert len(packed.content) < len(body) / 3
        assert "<h1>ポートフォリオ・ダッシュボード</h1>".encode() in body

    def test_an_api_answer_stays_uncompressed_so_its_etag_still_authorises_a_change(self):
        system = factories.system(organization=self.mhlw, name_ja="年金記録システム")
        url = f"/api/v1/systems/{system.system_id}/"
        client = self.api(self.pjmo)
        answer = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in answer
        etag = answer["ETag"]
        assert not etag.startswith("W/")
        changed = client.patch(url, {"name_ja": "年金記録管理システム"}, format="json", HTTP_IF_MATCH=etag,
                               HTTP_X_CHANGE_REASON="correction", HTTP_ACCEPT_ENCODING="gzip")
        assert changed.status_code == 200, changed.content
        system.refresh_from_db()
        assert system.name_ja == "年金記録管理システム"
        assert ObjectChange.objects.filter(changed_object_id=system.pk).exists()
