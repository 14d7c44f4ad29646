"""The reason header carries Japanese as percent-encoded UTF-8, plain or in RFC 8187 form, sent by httpx
as an integrator would."""

from urllib.parse import quote

import httpx

from mieruka.api.etag import etag_for
from mieruka.api.services import token_create
from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase, in_process_app


class ReasonHeaderTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(organization=self.mhlw)
        _, key = token_create(user=self.pjmo, name="理由ヘッダー", days=30)
        self.http = httpx.Client(base_url="http://testserver", transport=httpx.WSGITransport(app=in_process_app()),
                                 headers={"Authorization": f"Bearer {key}"})
        self.addCleanup(self.http.close)

    def patch(self, reason_header: str, purpose: str) -> httpx.Response:
        self.system.refresh_from_db()
        return self.http.patch(f"/api/v1/systems/{self.system.system_id}/", json={"purpose": purpose},
                               headers={"If-Match": etag_for(self.system), "X-Change-Reason": reason_header})

    def recorded_reason(self) -> str:
        return ObjectChange.objects.filter(changed_object_id=self.system.pk).latest("pk").reason

    def test_httpx_cannot_send_japanese_as_it_is_which_is_why_it_is_encoded(self):
        try:
            self.patch("年度末で停止", "x")
        except UnicodeEncodeError:
            pass
        else:  # pragma: no cover - if httpx ever sends UTF-8, the server must still refuse mojibake
            raise AssertionError("httpx sent a non-ASCII header")

    def test_a_percent_encoded_reason_is_recorded_in_japanese(self):
        response = self.patch(quote("年度末で停止"), "年度末で停止する")
        assert response.status_code == 200, response.json()
        assert self.recorded_reason() == "年度末で停止"

    def test_the_rfc_8187_form_is_accepted_with_or_without_a_language(self):
        for header, purpose in ((f"UTF-8''{quote('年度末で停止')}", "一"), (f"utf-8'ja'{quote('令和7年度')}", "二")):
            with self.subTest(header=header):
                response = self.patch(header, purpose)
                assert response.status_code == 200, response.json()
        assert self.recorded_reason() == "令和7年度"

    def test_a_header_that_is_not_utf_8_is_refused_naming_the_header(self):
        response = self.patch("%82%A0", "シフトJISの「あ」")
        assert response.status_code == 400
        assert "X-Change-Reason" in response.json()["error"]["fields"]
        self.system.refresh_from_db()
        assert self.system.purpose != "シフトJISの「あ」"
