"""If-Match uses strong comparison: a weak tag (`W/"…"`) never authorises a change, even with the right value."""

import datetime
import re

import time_machine

from mieruka.core.models import ObjectChange
from mieruka.testing import factories

from .base import ApiTestCase


class StrongComparisonTest(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.system = factories.system(organization=self.mhlw, name_ja="年金記録システム")
        self.url = f"/api/v1/systems/{self.system.system_id}/"
        self.client_ = self.api(self.pjmo)
        self.etag = self.client_.get(self.url)["ETag"]

    def assert_unchanged(self):
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録システム"
        assert not ObjectChange.objects.filter(changed_object_id=self.system.pk).exists()

    def test_the_current_etag_sent_as_a_weak_tag_is_refused_with_412(self):
        for method in ("patch", "put", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client_, method)(
                    self.url, {"name_ja": "上書き"}, format="json", HTTP_X_CHANGE_REASON="correction", HTTP_IF_MATCH=f"W/{self.etag}")
                self.assert_error(response, 412, "precondition_failed")
        self.assert_unchanged()
        assert type(self.system).objects.filter(pk=self.system.pk).exists()

    def test_a_weak_tag_in_a_list_does_not_count_but_a_strong_one_beside_it_does(self):
        response = self.client_.patch(self.url, {"name_ja": "上書き"}, format="json", HTTP_X_CHANGE_REASON="correction",
                                      HTTP_IF_MATCH=f'"stale", W/{self.etag}')
        self.assert_error(response, 412, "precondition_failed")
        self.assert_unchanged()
        response = self.client_.patch(self.url, {"name_ja": "年金記録管理システム"}, format="json", HTTP_X_CHANGE_REASON="correction",
                                      HTTP_IF_MATCH=f'W/{self.etag}, {self.etag}')
        assert response.status_code == 200, response.json()
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録管理システム"

    def assert_renamed_once(self, response):
        """The change went through: the record and its change log show the new name, once."""
        assert response.status_code == 200, response.json()
        assert response.json()["name_ja"] == "年金記録管理システム"
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録管理システム"
        change = ObjectChange.objects.get(changed_object_id=self.system.pk, action="update")
        assert change.postchange_data["name_ja"] == "年金記録管理システム" and change.reason == "correction"

    def test_the_etag_without_its_quotes_is_accepted(self):
        response = self.client_.patch(self.url, {"name_ja": "年金記録管理システム"}, format="json", HTTP_X_CHANGE_REASON="correction",
                                      HTTP_IF_MATCH=self.etag.strip('"'))
        self.assert_renamed_once(response)

    def test_the_etag_is_a_quoted_strong_tag_of_32_hex_digits_that_changes_with_the_record(self):
        assert re.fullmatch(r'"[0-9a-f]{32}"', self.etag), self.etag
        response = self.client_.patch(self.url, {"name_ja": "年金記録管理システム"}, format="json", HTTP_X_CHANGE_REASON="correction", HTTP_IF_MATCH=self.etag)
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"]) and response["ETag"] != self.etag

    def test_any_tag_of_a_comma_separated_list_may_match(self):
        response = self.client_.patch(self.url, {"name_ja": "年金記録管理システム"}, format="json", HTTP_X_CHANGE_REASON="correction",
                                      HTTP_IF_MATCH=f'"stale",{self.etag}')
        self.assert_renamed_once(response)

    def test_the_refusals_say_what_to_do_in_japanese_and_english(self):
        missing = self.assert_error(self.client_.patch(self.url, {"name_ja": "x"}, format="json"),
                                    428, "precondition_required")
        assert (missing["message_ja"], missing["message_en"]) == (
            "変更・削除には If-Match ヘッダー（取得時の ETag）が必要です",
            "Changes and deletions need an If-Match header with the ETag from your last read")
        stale = self.assert_error(self.client_.patch(self.url, {"name_ja": "x"}, format="json", HTTP_X_CHANGE_REASON="correction",
                                                     HTTP_IF_MATCH='"stale"'), 412, "precondition_failed")
        assert (stale["message_ja"], stale["message_en"]) == (
            "他の人が先に更新しました。最新の内容を取得してからやり直してください（ETag不一致）",
            "Someone changed this record since you read it; fetch it again and retry (ETag mismatch)")
        self.assert_unchanged()

    def test_an_empty_if_match_header_is_refused_with_428_like_a_missing_one(self):
        for header in ("", "   "):
            with self.subTest(header=header):
                error = self.assert_error(self.client_.patch(
                    self.url, {"name_ja": "x"}, format="json", HTTP_X_CHANGE_REASON="correction",
                    HTTP_IF_MATCH=header), 428, "precondition_required")
                assert error["message_en"].startswith("Changes and deletions need an If-Match header")
        self.assert_unchanged()

    def test_the_refusal_of_if_match_star_says_what_to_send_instead_in_both_languages(self):
        error = self.assert_error(self.client_.patch(self.url, {"name_ja": "x"}, format="json",
                                                     HTTP_X_CHANGE_REASON="correction", HTTP_IF_MATCH=" * "),
                                  428, "precondition_required")
        assert (error["message_ja"], error["message_en"]) == (
            "If-Match: * は使えません。取得時の ETag を指定してください",
            "If-Match: * is not accepted; send the ETag from your last read of this record")
        self.assert_unchanged()

    def test_a_save_that_changes_only_the_last_updated_time_gives_a_new_etag(self):
        # The record as read shows `last_updated`, so a strong tag must change with it, even when a save
        # (such as the admin's Save with nothing edited) changes no other field.
        before = self.client_.get(self.url)
        with time_machine.travel(datetime.timedelta(minutes=5)):
            type(self.system).objects.get(pk=self.system.pk).save()
        after = self.client_.get(self.url)
        assert after.json()["last_updated"] != before.json()["last_updated"]
        assert after["ETag"] != before["ETag"]
        response = self.client_.patch(self.url, {"name_ja": "上書き"}, format="json",
                                      HTTP_X_CHANGE_REASON="correction", HTTP_IF_MATCH=before["ETag"])
        self.assert_error(response, 412, "precondition_failed")
        self.system.refresh_from_db()
        assert self.system.name_ja == "年金記録システム"
